#!/usr/bin/env python3
"""CI check of deploy/: no container engine runs here, so the files are checked by construction.

Every YAML file parses; the Kubernetes manifests have what the gateway needs (>= 2 replicas, probes on the
real health paths, resource requests, a PodDisruptionBudget, a Service, routes.json from a ConfigMap with the
polling watcher, htpasswd from a Secret, trusted proxies with a NetworkPolicy when they are a range, a grace
period above preStop plus the host's 30 s shutdown timeout); the Sentinel example's ACL users agree with the
gateway's connection string and give Sentinel the commands it needs; the Dockerfile is multi-stage, non-root,
with HEALTHCHECK and EXPOSE, and .dockerignore keeps bin/, obj/ and .git out of its context without excluding
what it copies; each compose file runs two gateways, a shared store (Redis or PostgreSQL, named with Gateway__Store__Provider), a backend and a load balancer whose address the gateways
trust; and every Gateway__/ConnectionStrings__ variable names a configuration key the README or docs/ documents. Exit
status 0 when all hold; each failure is printed.
"""
import fnmatch
import ipaddress
import json
import pathlib
import re
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
HOST_SHUTDOWN_SECONDS = 30  # HostOptions.ShutdownTimeout default: requests in flight get this long after SIGTERM
# What Sentinel runs on the Redis servers it monitors (Redis docs, "Redis Access Control List authentication").
SENTINEL_ON_SERVERS = {"multi", "slaveof", "ping", "exec", "subscribe", "config|rewrite", "role", "publish", "info",
                       "client|setname", "client|kill", "script|kill"}
# What StackExchange.Redis runs on a sentinel to find the primary and follow failovers.
CLIENT_ON_SENTINELS = {"ping", "info", "subscribe", "sentinel|get-master-addr-by-name", "sentinel|sentinels", "sentinel|replicas"}
errors = []


def check(condition, message):
    if not condition:
        errors.append(message)
    return condition


def health_paths():
    source = (ROOT / "Gateway" / "Endpoints" / "HealthEndpoints.cs").read_text()
    paths = set(re.findall(r'MapGet\("(/[a-z]+)"', source))
    check({"/healthz", "/readyz"} <= paths, f"HealthEndpoints.cs maps {sorted(paths)}, expected /healthz and /readyz")
    return paths


def documented_keys():
    # The reference table lives in docs/configuration.md; the README and the other docs pages may name keys too.
    text = "\n".join(p.read_text() for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])
    keys = set()
    for cell in re.findall(r"^\| `([^|]+)` \|", text, re.M):
        for part in cell.split(" / "):
            keys.add(part.strip("` "))
    # "Gateway:Headers:User / Roles / Session" style rows name siblings by their last segment only.
    expanded = set(keys)
    for key in keys:
        if ":" not in key:
            for full in keys:
                if ":" in full:
                    expanded.add(full.rsplit(":", 1)[0] + ":" + key)
    return expanded


def check_env_name(name, where, keys):
    if not (name.startswith("Gateway__") or name.startswith("ConnectionStrings__")):
        return
    key = re.sub(r":\d+$", "", name.replace("__", ":"))
    generic = re.sub(r"^Gateway:Policies:[^:]+:", "Gateway:Policies:<name>:", key)
    check(key in keys or generic in keys, f"{where}: {name} is not a documented configuration key ({key})")


def trusted_networks(variables, where):
    """The Gateway__TrustedProxies__N values of an environment, parsed (each must be an address or a CIDR range)."""
    networks = []
    for name, value in variables.items():
        if re.fullmatch(r"Gateway__TrustedProxies__\d+", name):
            try:
                networks.append(ipaddress.ip_network(str(value), strict=True))
            except ValueError as error:
                errors.append(f"{where}: {name}={value!r} is not an address or CIDR range ({error})")
    check(networks, f"{where}: no Gateway__TrustedProxies__0: behind a load balancer every client would share its address")
    return networks


def acl_users(text):
    """user name -> (on, passwords, rules) for the 'user ...' lines of an ACL file or sentinel.conf."""
    users = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] == "user":
            rules = parts[2:]
            users[parts[1]] = ("on" in rules, {r[1:] for r in rules if r.startswith(">")}, set(rules))
    return users


def allowed(rules, command):
    return "+@all" in rules or f"+{command}" in rules or f"+{command.split('|')[0]}" in rules


def check_acl_user(users, name, password, commands, where):
    if not check(name in users, f"{where}: no ACL user {name!r}"):
        return
    on, passwords, rules = users[name]
    check(on, f"{where}: ACL user {name!r} is not 'on'")
    check(password in passwords, f"{where}: ACL user {name!r} does not have the password used for it elsewhere")
    missing = sorted(c for c in commands if not allowed(rules, c))
    check(not missing, f"{where}: ACL user {name!r} lacks {missing}")


def check_sentinel(by_kind, connection):
    secrets = {s["metadata"]["name"]: s.get("stringData", {}) for s in by_kind.get("Secret", [])}
    scripts = {c["metadata"]["name"]: c.get("data", {}) for c in by_kind.get("ConfigMap", [])}.get("redis-sentinel-scripts", {})
    acl = secrets.get("redis-acl", {})
    if not check(acl and scripts, "Sentinel example needs the redis-acl Secret and the redis-sentinel-scripts ConfigMap"):
        return
    servers = acl_users(acl.get("users.acl", ""))
    sentinels = acl_users(acl.get("sentinel-users.conf", ""))
    options = dict(part.split("=", 1) for part in connection.split(",") if "=" in part)
    user, password = options.get("user"), options.get("password")
    if check(user and password, "the example connection string should name an ACL user and password"):
        # StackExchange.Redis authenticates to the sentinels with the same user and password as to the servers.
        check_acl_user(servers, user, password, {"get", "set"}, "users.acl (Redis servers)")
        check_acl_user(sentinels, user, password, CLIENT_ON_SENTINELS, "sentinel-users.conf (sentinels)")
    check(sentinels.get("default", (True,))[0] is False, "sentinel-users.conf should turn the sentinels' default user off")
    secret_file = lambda name: acl.get(name, "").strip()
    sentinel_script = scripts.get("sentinel.sh", "")
    auth = re.search(r"sentinel auth-user (\S+) (\S+)", sentinel_script)
    auth_pass = re.search(r"sentinel auth-pass \S+ \$\(cat /acl/([\w.-]+)\)", sentinel_script)
    if check(auth and auth_pass, "sentinel.sh must set auth-user and auth-pass (from the Secret) for the monitored primary"):
        check_acl_user(servers, auth.group(2), secret_file(auth_pass.group(1)), SENTINEL_ON_SERVERS, "users.acl (Sentinel's user)")
    peer_user = re.search(r"^sentinel sentinel-user (\S+)", acl.get("sentinel-users.conf", ""), re.M)
    peer_pass = re.search(r"^sentinel sentinel-pass (\S+)", acl.get("sentinel-users.conf", ""), re.M)
    if check(peer_user and peer_pass, "sentinel-users.conf must set sentinel-user/sentinel-pass so sentinels can log in to each other"):
        check_acl_user(sentinels, peer_user.group(1), peer_pass.group(1), {"ping", "publish", "subscribe", "sentinel"}, "sentinel-users.conf (peers)")
    replication = re.search(r"--masteruser (\S+) --masterauth \$\(cat /acl/([\w.-]+)\)", scripts.get("redis.sh", ""))
    if check(replication, "redis.sh must set --masteruser and --masterauth (from the Secret)"):
        check_acl_user(servers, replication.group(1), secret_file(replication.group(2)), {"psync", "replconf", "ping"}, "users.acl (replication)")


def load_yaml(path):
    try:
        return [d for d in yaml.safe_load_all(path.read_text()) if d is not None]
    except yaml.YAMLError as error:
        errors.append(f"{path.relative_to(ROOT)}: {error}")
        return []


def check_kubernetes(documents, paths, keys):
    by_kind = {}
    for doc in documents:
        for field in ("apiVersion", "kind", "metadata"):
            check(field in doc, f"manifest without {field}: {str(doc)[:80]}")
        by_kind.setdefault(doc.get("kind"), []).append(doc)

    gateways = [d for d in by_kind.get("Deployment", []) if d["metadata"]["name"] == "gateway"]
    if not check(len(gateways) == 1, "no Deployment named gateway"):
        return
    deployment = gateways[0]
    spec = deployment["spec"]
    labels = spec["selector"]["matchLabels"]
    check(spec.get("replicas", 1) >= 2, "gateway Deployment needs >= 2 replicas")
    pod = spec["template"]["spec"]
    check(pod.get("securityContext", {}).get("runAsNonRoot") is True, "gateway pod must set runAsNonRoot")
    container = pod["containers"][0]
    ready = container.get("readinessProbe", {}).get("httpGet", {}).get("path")
    live = container.get("livenessProbe", {}).get("httpGet", {}).get("path")
    check(ready == "/readyz" and ready in paths, f"readinessProbe path is {ready}, expected /readyz")
    check(live == "/healthz" and live in paths, f"livenessProbe path is {live}, expected /healthz")
    requests = container.get("resources", {}).get("requests", {})
    check("cpu" in requests and "memory" in requests, "gateway container needs cpu and memory requests")
    env = {e["name"]: e for e in container.get("env", [])}
    for name in env:
        check_env_name(name, "k8s gateway env", keys)
    check(env.get("DOTNET_USE_POLLING_FILE_WATCHER", {}).get("value") == "true", "DOTNET_USE_POLLING_FILE_WATCHER=true is required for ConfigMap reloads")
    check("ConnectionStrings__Redis" in env, "gateway needs ConnectionStrings__Redis")
    trusted = trusted_networks({n: e.get("value") for n, e in env.items()}, "k8s gateway env")
    if any(n.num_addresses > 1 for n in trusted):
        # A trusted range holds more than the proxy: only a NetworkPolicy keeps other pods from forging X-Forwarded-For.
        policies = [p for p in by_kind.get("NetworkPolicy", []) if p["spec"].get("podSelector", {}).get("matchLabels") == labels]
        check(policies and all(rule.get("from") for p in policies for rule in p["spec"].get("ingress", [{}])),
              "Gateway__TrustedProxies is a range: a NetworkPolicy must let only the proxy reach the gateway pods")

    stop = container.get("lifecycle", {}).get("preStop", {})
    command = stop.get("exec", {}).get("command", [])
    pause = stop.get("sleep", {}).get("seconds") or (int(command[-1]) if command[:1] == ["sleep"] and command[-1].isdigit() else 0)
    check(pause > 0, "gateway container needs a preStop sleep, so endpoints are removed before SIGTERM")
    grace = pod.get("terminationGracePeriodSeconds", 30)
    check(grace > pause + HOST_SHUTDOWN_SECONDS,
          f"terminationGracePeriodSeconds {grace} must exceed preStop ({pause} s) plus the host's shutdown timeout ({HOST_SHUTDOWN_SECONDS} s)")

    mounts = {m["name"]: m["mountPath"] for m in container.get("volumeMounts", [])}
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    routes_file = env.get("Gateway__RoutesFile", {}).get("value", "")
    users_file = env.get("Gateway__Users__File", {}).get("value", "")
    config_maps = {c["metadata"]["name"]: c for c in by_kind.get("ConfigMap", [])}
    secrets = {s["metadata"]["name"]: s for s in by_kind.get("Secret", [])}
    for name, mount in mounts.items():
        volume = volumes.get(name, {})
        if routes_file.startswith(mount + "/") and check("configMap" in volume, "routes.json must come from a ConfigMap"):
            data = config_maps.get(volume["configMap"]["name"], {}).get("data", {})
            text = data.get(routes_file[len(mount) + 1:])
            if check(text is not None, f"ConfigMap has no {routes_file}"):
                try:
                    routes = json.loads(text)["ReverseProxy"]
                    check(routes.get("Routes") and routes.get("Clusters"), "routes.json in the ConfigMap has no Routes or Clusters")
                except (ValueError, KeyError) as error:
                    errors.append(f"routes.json in the ConfigMap: {error}")
        if users_file.startswith(mount + "/") and check("secret" in volume, "htpasswd must come from a Secret"):
            secret = secrets.get(volume["secret"]["secretName"], {})
            check(users_file[len(mount) + 1:] in secret.get("stringData", secret.get("data", {})), "the Secret has no htpasswd key")
    check(bool(routes_file) and bool(users_file), "Gateway__RoutesFile and Gateway__Users__File must point at the mounts")

    budgets = [p for p in by_kind.get("PodDisruptionBudget", []) if p["spec"]["selector"].get("matchLabels") == labels]
    check(len(budgets) == 1, "no PodDisruptionBudget selects the gateway pods")
    services = [s for s in by_kind.get("Service", []) if s["spec"].get("selector") == labels]
    check(len(services) >= 1, "no Service selects the gateway pods")
    check(any(d["kind"] == "StatefulSet" and "sentinel" in yaml.safe_dump(d) for d in documents), "no Redis Sentinel example")
    connection = secrets.get("gateway-redis", {}).get("stringData", {}).get("connection", "")
    check("serviceName=" in connection, "the example Redis connection string should use Sentinel (serviceName=)")
    check_sentinel(by_kind, connection)


def check_dockerfile(keys):
    text = (DEPLOY / "Dockerfile").read_text()
    stages = re.findall(r"^FROM\s+(\S+)", text, re.M)
    check(len(stages) >= 2, "Dockerfile must be multi-stage")
    check(stages and re.search(r"dotnet/(aspnet|runtime-deps)", stages[-1]), f"final image {stages[-1:]} is not a small runtime image")
    users = re.findall(r"^USER\s+(\S+)", text, re.M)
    check(users and users[-1] not in ("root", "0", "0:0"), "Dockerfile must end as a non-root USER")
    check(re.search(r"^HEALTHCHECK .*", text, re.M | re.S) and "/healthz" in text, "Dockerfile needs a HEALTHCHECK on /healthz")
    check(re.search(r"^EXPOSE\s+8080", text, re.M), "Dockerfile must EXPOSE 8080")
    instructions = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    for name in re.findall(r"\b((?:Gateway|ConnectionStrings)__[A-Za-z_0-9]+)=", instructions):
        check_env_name(name, "Dockerfile", keys)
    check("DOTNET_USE_POLLING_FILE_WATCHER=true" in text, "Dockerfile should enable the polling file watcher for mounted config")
    check_dockerignore(instructions)


def check_dockerignore(instructions):
    """The build context is the repository root: .dockerignore there keeps build output and .git out of it."""
    path = ROOT / ".dockerignore"
    if not check(path.exists(), ".dockerignore is missing at the repository root (the build context)"):
        return
    patterns = [line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]
    bare = {p.strip("/").removeprefix("**/") for p in patterns if not p.startswith("!")}
    for needed in ("bin", "obj", ".git"):
        check(needed in bare, f".dockerignore does not exclude {needed}")
    for sources in re.findall(r"^COPY\s+(?!--from)(.+)$", instructions, re.M):
        for source in sources.split()[:-1]:
            source = source.rstrip("/")
            parents = [str(p) for p in pathlib.PurePosixPath(source).parents if str(p) != "."] + [source]
            check(not any(fnmatch.fnmatch(part, pattern) for part in parents for pattern in bare),
                  f".dockerignore excludes {source}, which the Dockerfile copies")


def check_compose(documents, keys):
    if not check(len(documents) == 1, "compose.yaml must be one document"):
        return
    services = documents[0].get("services", {})
    gateways = [n for n, s in services.items() if "Dockerfile" in str(s.get("build", ""))]
    check(len(gateways) >= 2, f"compose needs two gateway instances, found {gateways}")
    images = [str(s.get("image", "")) for s in services.values()]
    store = "Postgres" if any(i.startswith("postgres") for i in images) else "Redis"
    check(any(store.lower() in i for i in images), "compose needs a shared store (Redis or PostgreSQL)")
    check("backend" in services, "compose needs a demo backend")
    lb = [n for n, s in services.items() if "nginx" in str(s.get("image", ""))]
    if check(lb, "compose needs a load balancer"):
        nginx = (DEPLOY / "nginx.conf").read_text()
        for gateway in gateways:
            check(f"server {gateway}:8080" in nginx, f"nginx.conf does not balance to {gateway}")
    addresses = [ipaddress.ip_address(net.get("ipv4_address")) for n in lb for net in (services[n].get("networks") or {}).values()
                 if isinstance(net, dict) and net.get("ipv4_address")]
    check(addresses, "compose: the load balancer needs a fixed ipv4_address for the gateways to trust")
    for name in gateways:
        environment = services[name].get("environment", {})
        for variable in environment:
            check_env_name(variable, f"compose {name}", keys)
        check(environment.get(f"ConnectionStrings__{store}"), f"compose {name} has no {store} connection string")
        # The image names a SQLite file (its single-instance default): a shared store must be named explicitly.
        check(environment.get("Gateway__Store__Provider") == store, f"compose {name} must set Gateway__Store__Provider={store}")
        trusted = trusted_networks(environment, f"compose {name}")
        for address in addresses:
            check(any(address in network for network in trusted), f"compose {name} does not trust the load balancer's address {address}")


def main():
    paths = health_paths()
    keys = documented_keys()
    manifests = []
    files = sorted(list(DEPLOY.rglob("*.yaml")) + list(DEPLOY.rglob("*.yml")))
    check(files, "no YAML under deploy/")
    for path in files:
        documents = load_yaml(path)
        check(documents, f"{path.relative_to(ROOT)} is empty")
        if path.name.startswith("compose"):
            check_compose(documents, keys)
        elif "forward-auth" in path.relative_to(DEPLOY).parts:
            pass  # proxy configuration (Traefik, Envoy): it must parse, it is no Kubernetes manifest
        else:
            manifests.extend(documents)
    check_kubernetes(manifests, paths, keys)
    check_dockerfile(keys)
    try:
        json.loads((DEPLOY / "routes.json").read_text())["ReverseProxy"]["Clusters"]
    except (ValueError, KeyError) as error:
        errors.append(f"deploy/routes.json: {error}")
    for error in errors:
        print("deploy check:", error)
    print(f"deploy check: {len(files)} YAML files, {len(manifests)} manifests, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
