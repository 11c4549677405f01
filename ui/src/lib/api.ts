// The app's command surface: one typed wrapper per Tauri command in src-tauri/src/lib.rs
// (a Rust test keeps the two lists in step). Types come from the Rust definitions via
// ts-rs (src/bindings); nothing here is written twice.
import type { AppInfo } from "../bindings/AppInfo";
import type { BulkReport } from "../bindings/BulkReport";
import type { ClientMetadata } from "../bindings/ClientMetadata";
import type { DeleteOutcome } from "../bindings/DeleteOutcome";
import type { Discovery } from "../bindings/Discovery";
import type { Exchange } from "../bindings/Exchange";
import type { ExportFormat } from "../bindings/ExportFormat";
import type { MetadataCheck } from "../bindings/MetadataCheck";
import type { ImportInput } from "../bindings/ImportInput";
import type { JournalEntry } from "../bindings/JournalEntry";
import type { MockInfo } from "../bindings/MockInfo";
import type { OrphanReport } from "../bindings/OrphanReport";
import type { Page } from "../bindings/Page";
import type { ProbeReport } from "../bindings/ProbeReport";
import type { Profile } from "../bindings/Profile";
import type { ProfileSecretsInput } from "../bindings/ProfileSecretsInput";
import type { ProviderKind } from "../bindings/ProviderKind";
import type { Query } from "../bindings/Query";
import type { RegisterOutcome } from "../bindings/RegisterOutcome";
import type { Registration } from "../bindings/Registration";
import type { SyncOutcome } from "../bindings/SyncOutcome";
import type { TryReport } from "../bindings/TryReport";

/** Sends one command; the transport is the backend's (Tauri IPC, or a fake in tests).
 *  Commands about a profile take its id (`Profile.id`), never its name, which can change. */
export type Invoke = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;

export function makeApi(invoke: Invoke) {
  const call = <T>(command: string, args?: Record<string, unknown>) => invoke<T>(command, args);
  return {
    appInfo: () => call<AppInfo>("app_info"),
    listProfiles: () => call<Profile[]>("list_profiles"),
    newProfile: (kind: ProviderKind, name: string, registrationEndpoint: string) =>
      call<Profile>("new_profile", { kind, name, registrationEndpoint }),
    saveProfile: (profile: Profile, secrets: ProfileSecretsInput) => call<Profile>("save_profile", { profile, secrets }),
    removeProfile: (profileId: string) => call<string[]>("remove_profile", { profile: profileId }),
    trustHost: (profileId: string, host: string) => call<Profile>("trust_host", { profile: profileId, host }),
    discoveryNewHosts: (profileId: string, discovery: Discovery) => call<string[]>("discovery_new_hosts", { profile: profileId, discovery }),
    discover: (issuer: string) => call<Discovery>("discover", { issuer }),
    probe: (profileId: string, allowWrites: boolean) => call<ProbeReport>("probe", { profile: profileId, allowWrites }),
    searchClients: (query: Query) => call<Page>("search_clients", { query }),
    getRegistration: (profileId: string, clientId: string) => call<Registration>("get_registration", { profile: profileId, clientId }),
    validateMetadata: (profileId: string, clientId: string | null, metadata: ClientMetadata) =>
      call<MetadataCheck>("validate_metadata", { profile: profileId, clientId, metadata }),
    registerClient: (profileId: string, metadata: ClientMetadata) =>
      call<RegisterOutcome>("register_client", { profile: profileId, metadata }),
    refreshClient: (profileId: string, clientId: string) => call<SyncOutcome>("refresh_client", { profile: profileId, clientId }),
    updateClient: (profileId: string, clientId: string, metadata: ClientMetadata) =>
      call<SyncOutcome>("update_client", { profile: profileId, clientId, metadata }),
    deleteClient: (profileId: string, clientId: string) => call<DeleteOutcome>("delete_client", { profile: profileId, clientId }),
    forgetClient: (profileId: string, clientId: string) => call<string[]>("forget_client", { profile: profileId, clientId }),
    importClient: (profileId: string, input: ImportInput) => call<SyncOutcome>("import_client", { profile: profileId, input }),
    revealSecret: (profileId: string, clientId: string) => call<string | null>("reveal_secret", { profile: profileId, clientId }),
    tryClient: (profileId: string, clientId: string) => call<TryReport>("try_client", { profile: profileId, clientId }),
    refreshAll: (profileId: string | null) => call<BulkReport>("refresh_all", { profile: profileId }),
    history: (profileId: string | null, clientId: string | null, limit: number) =>
      call<Exchange[]>("history", { profile: profileId, clientId, limit }),
    orphans: (profileId: string) => call<OrphanReport>("orphans", { profile: profileId }),
    expiring: (withinDays: number) => call<Page>("expiring", { withinDays }),
    unresolved: () => call<JournalEntry[]>("unresolved"),
    copyClientSecret: (profileId: string, clientId: string) => call<boolean>("copy_client_secret", { profile: profileId, clientId }),
    exportPreview: (profileId: string, clientId: string, format: ExportFormat, withSecrets: boolean) =>
      call<string>("export_preview", { profile: profileId, clientId, format, withSecrets }),
    /** Opens the save dialog (in the app, not the window) and writes there; the path, or null if cancelled. */
    exportToFile: (profileId: string, clientId: string, format: ExportFormat, withSecrets: boolean, suggestedName: string) =>
      call<string | null>("export_to_file", { profile: profileId, clientId, format, withSecrets, suggestedName }),
    mockList: () => call<MockInfo[]>("mock_list"),
    mockStart: (dialectName: string) => call<MockInfo>("mock_start", { dialectName }),
    mockStop: (dialectName: string) => call<boolean>("mock_stop", { dialectName }),
  };
}

export type Api = ReturnType<typeof makeApi>;
