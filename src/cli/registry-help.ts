/** The help text pull and push share: how registries are reached and where credentials live. */
export const REGISTRY_HELP = `
Registries are reached over HTTPS, except loopback ones (localhost, 127.0.0.0/8, ::1) and those
listed as insecure in $BERTH_CONFIG/registries.json (default /etc/berth/registries.json):
  { "insecure-registries": ["myregistry.lan:5000", "10.0.0.0/8"] }
Credentials come from 'berth login', kept as docker keeps them ($DOCKER_CONFIG/config.json,
default ~/.docker/config.json, or the credential helper it names).`;
