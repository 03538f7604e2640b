// The agent's version, reported at registration and login and recorded in every snapshot.
export const AGENT_VERSION = "0.1.0";
