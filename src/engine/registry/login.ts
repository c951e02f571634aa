/** `login`: check credentials against the registry (Basic or via its token service), then keep them. */
import { RegistryClient } from './client.js';
import { storeCredentials, eraseCredentials, type Credentials } from './credentials.js';

/** Checks the credentials against the registry without keeping them (the API's /auth). */
export async function checkLogin(domain: string, creds: Credentials): Promise<void> {
  const client = new RegistryClient({ domain, path: 'berth-login-check', actions: ['pull'], credentials: creds });
  await client.connect();
  // Basic: the handshake only picked the scheme; prove the password with one authenticated GET.
  await client.request('GET', '/v2/', { what: `login to ${domain}` }).then((r) => r.arrayBuffer());
}

export async function login(domain: string, creds: Credentials): Promise<string> {
  await checkLogin(domain, creds);
  return storeCredentials(domain, creds);
}

export { eraseCredentials as logout };
