# Sourced by the scripts that install from Debian what they need and is missing (scripts/setup,
# scripts/test, scripts/postgres, scripts/check-postgres, scripts/lib/readers.sh): one place that
# knows how to tell whether a package is there and how to install it.

# Whether the Debian package is installed, told by the command or file it brings.
has_package() {
    local check
    case "$1" in
    pkg-config) check='command -v pkg-config' ;;
    libical-dev) check='pkg-config --exists libical' ;;
    tzdata) check='[ -f /usr/share/zoneinfo/Europe/Berlin ]' ;;
    libreoffice-writer-nogui) check='command -v libreoffice' ;;
    poppler-utils) check='command -v pdftotext' ;;
    sqlite3) check='command -v sqlite3' ;;
    chromium) check='command -v chromium' ;;
    chromium-driver) check='command -v chromedriver' ;;
    postgresql) check='ls -d /usr/lib/postgresql/*/bin' ;;
    postgresql-client) check='command -v psql' ;;
    nginx-light) check='command -v nginx' ;;
    wrk) check='command -v wrk' ;;
    python3-venv) check="python3 -c 'import ensurepip'" ;;
    *)
        echo "scripts/lib/debian.sh: no test for the package $1" >&2
        return 2
        ;;
    esac
    eval "$check" >/dev/null 2>&1
}

# Prints those of the packages that are not installed, one per line.
missing_packages() {
    local package
    for package in "$@"; do
        has_package "$package" || echo "$package"
    done
}

# Installs the packages with apt-get (through sudo unless run as root).
install_packages() {
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "$@"
}
