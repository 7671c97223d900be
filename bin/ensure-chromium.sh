# Sourced by ./syncline test: the console's browser tests drive Debian's headless Chromium through its chromedriver.
# Installs both (apt-get, as root or through passwordless sudo) when either is missing; says what to do otherwise.
syncline_ensure_chromium() {
  if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
    return 0
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo="none"; fi
  fi
  if ! command -v apt-get >/dev/null 2>&1 || [ "$sudo" = "none" ]; then
    echo "The console's browser tests need chromium and chromedriver: install Debian's chromium and chromium-driver" >&2
    echo "packages (or your system's equivalents) and run again." >&2
    return 1
  fi
  echo "Installing chromium and chromium-driver for the console's browser tests (once) ..."
  $sudo apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    chromium chromium-driver >/dev/null
}
