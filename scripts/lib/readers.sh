# Sourced by the scripts that run the independent readers from PyPI (scripts/check-*) and by
# scripts/test: one venv under .build/ holds them all; each script names the modules it imports
# and gets those that are missing.

readers_venv=.build/reader-venv

# The pip requirement of a module the checks import.
reader_requirement() {
    case "$1" in
    icalendar) echo 'icalendar>=6' ;;
    recurring_ical_events) echo 'recurring-ical-events>=3' ;;
    vobject) echo 'vobject>=0.9.7' ;;
    jsonschema) echo 'jsonschema>=4.18' ;;
    referencing) echo 'referencing>=0.30' ;;
    aiosmtpd) echo 'aiosmtpd>=1.4' ;;
    xandikos) echo 'xandikos>=0.4.10' ;;
    selenium) echo 'selenium>=4.20' ;;
    axe_selenium_python) echo 'axe-selenium-python>=2.1' ;;
    *)
        echo "scripts/lib/readers.sh: no requirement for the module $1" >&2
        return 2
        ;;
    esac
}

# Every module a check imports: what scripts/test installs while Swift builds.
all_readers=(icalendar recurring_ical_events vobject jsonschema referencing aiosmtpd xandikos selenium
    axe_selenium_python)

# Makes the venv when it is missing (with python3-venv from Debian when Python lacks it) and
# installs, in one run of pip, those of the given modules it cannot import.
need_readers() {
    local venv=$readers_venv absent module missing=() requirement
    if [ ! -x "$venv/bin/python" ]; then
        if ! python3 -m venv "$venv" 2>/dev/null; then
            rm -rf "$venv"
            . "$(dirname "${BASH_SOURCE[0]}")/debian.sh"
            install_packages python3-venv
            python3 -m venv "$venv"
        fi
    fi
    absent=$("$venv/bin/python" -c '
import importlib.util, sys
print(" ".join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))' "$@") || return
    for module in $absent; do
        requirement=$(reader_requirement "$module") || return
        missing+=("$requirement")
    done
    ((${#missing[@]} == 0)) || "$venv/bin/pip" install -q --disable-pip-version-check "${missing[@]}"
}
