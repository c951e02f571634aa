/** docker's network option names, so compose files and scripts carry over. Loaded by listings. */
export const OPT_BRIDGE_NAME = 'com.docker.network.bridge.name';
export const OPT_MTU = 'com.docker.network.driver.mtu';
export const OPT_MASQ = 'com.docker.network.bridge.enable_ip_masquerade';
