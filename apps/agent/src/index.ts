// @cairn/agent: the cairn-agent program as a library (tests and embedding, e.g. the one-command
// setup that starts a server and a local agent together).
export { Agent, AgentShutdown, type AgentOptions } from "./agent.js";
export { offsetFileClock, systemClock, type Clock } from "./clock.js";
export { decryptVaultPassword, PasswordDecryptError, type RejectionMode } from "./identity/passwordDecrypt.js";
export { RegistrationError, userCredentialsFromEnv } from "./identity/agentIdentity.js";
export { fingerprintFor, hostFacts } from "./identity/hostInfo.js";
export { RSA_BITS, wirePublicKey } from "./identity/rsaKey.js";
export { openVaultStorage, vaultBaseUrl, type TokenSource, type VaultAddress } from "./vault/vaultStorage.js";
export { PrefixedStorage } from "./vault/prefixedStorage.js";
export { plainPassphrase, VaultPasswordError, VaultRepositories } from "./vault/vaultRepository.js";
export { Scheduler } from "./schedule/scheduler.js";
export { AGENT_VERSION } from "./version.js";
