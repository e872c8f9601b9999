# Sourced by the scripts that run the independent readers from PyPI (scripts/check-*) and by
# scripts/test: one venv under .build/ holds them all; each script names the modules it imports
# and gets those that are missing.

readers_venv=.build/reader-venv

# Every module a check imports, with its pip requirement; scripts/test installs them all while
# Swift builds.
declare -A reader_requirements=(
    [icalendar]='icalendar>=6'
    [recurring_ical_events]='recurring-ical-events>=3'
    [vobject]='vobject>=0.9.7'
    [jsonschema]='jsonschema>=4.18'
    [referencing]='referencing>=0.30'
    [aiosmtpd]='aiosmtpd>=1.4'
    [xandikos]='xandikos>=0.4.10'
    [selenium]='selenium>=4.20'
    [axe_selenium_python]='axe-selenium-python>=2.1'
)

# Makes the venv when it is missing (with python3-venv from Debian when Python lacks it) and
# installs, in one run of pip, those of the given modules it cannot import.
need_readers() {
    local venv=$readers_venv absent module missing=()
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
        if [ -z "${reader_requirements[$module]:-}" ]; then
            echo "scripts/lib/readers.sh: no requirement for the module $module" >&2
            return 2
        fi
        missing+=("${reader_requirements[$module]}")
    done
    ((${#missing[@]} == 0)) || "$venv/bin/pip" install -q --disable-pip-version-check "${missing[@]}"
}
