// The Client ID Metadata Document this window started serving on loopback (the app serves
// one at a time, `cimd_serve`). Kept here, not in the dialog, because it goes on being
// served when the dialog is closed (to try its client): reopened, the dialog shows it
// with its Stop.
import type { CimdServing, ProfileId } from "../bindings";

export interface Served extends CimdServing {
  /** The profile whose dialog started it, which keeps its client when `kept`. */
  profile: ProfileId | null;
  /** That profile's name when it was started, to say where its client was kept. */
  profileName: string | null;
}

export const serving: { current: Served | null } = $state({ current: null });
