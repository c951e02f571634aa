export { pullImage, parsePlatform } from './pull.js';
export { pushImage } from './push.js';
export { searchRegistry, type SearchResult } from './search.js';
export { login, logout } from './login.js';
export { serverKey, dockerConfigPath, getCredentials } from './credentials.js';
export { configFile as registriesConfigFile } from './config.js';
