import CompressNIO
import Hummingbird
import Prometheus
