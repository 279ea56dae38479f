#!/bin/sh
# CI step: validate the deployment's configuration before it ships, like `nginx -t` (exit 0 valid, 1 invalid, 2 usage).
# Runs the image built from deploy/Dockerfile on this folder's routes.json and users.htpasswd, with the variables
# compose.yaml gives the gateways. It binds no port and contacts no backend; add --connect to also ping the store
# (only where the CI runner can reach it). Example (GitHub Actions):
#   - run: docker build -f deploy/Dockerfile -t gateway:ci .
#   - run: deploy/check-config.sh gateway:ci
# Without a container engine: dotnet Gateway.dll check-config --Gateway:RoutesFile=deploy/routes.json ...
set -eu
image="${1:-gateway:local}"
shift $(( $# > 0 ? 1 : 0 ))
here="$(cd "$(dirname "$0")" && pwd)"
exec docker run --rm \
  -v "$here/routes.json:/config/routes.json:ro" \
  -v "$here/users.htpasswd:/config/users.htpasswd:ro" \
  -e ConnectionStrings__Redis=redis:6379 \
  -e Gateway__Session__SecureCookie=false \
  -e Gateway__TrustedProxies__0=172.28.0.10 \
  "$image" check-config "$@"
