// The window's dialogs, one field each: null (or false) is closed. They are separate, not
// one "open dialog" slot, because an answer arriving late (a bulk refresh's credentials
// to copy) must not close a form the person is filling in meanwhile.
import type { Profile } from "../bindings";
import type { RegisterOutcome } from "../bindings";
import type { Registration } from "../bindings";
import type { UnstoredCredentials } from "../bindings";

export class Dialogs {
  /** The profile form: for a new profile, or for the one given. */
  profileForm: "new" | Profile | null = $state(null);
  /** The client a delete is being confirmed for. */
  deleting: Registration | null = $state(null);
  /** The clients being exported (one, or the list's selection). */
  exporting: string[] | null = $state(null);
  /** The client the try wizard is open for. */
  trying: Registration | null = $state(null);
  importing = $state(false);
  /** "Discard changes?": what to do once the person agrees to drop the form's changes. */
  discard: (() => void) | null = $state(null);
  /** About Registrar: the version and the commit the app was built from. */
  about = $state(false);
  // Shown once, never again: what the provider issued that the person must copy now.
  /** A registration just made: its client secret, and any credential the keychain refused. */
  registered: RegisterOutcome | null = $state(null);
  /** A registration access token an update rotated and the keychain could not keep. */
  unstoredToken: string | null = $state(null);
  /** Credentials a bulk refresh was issued and the keychain could not keep. */
  unstoredMany: UnstoredCredentials[] | null = $state(null);
}
