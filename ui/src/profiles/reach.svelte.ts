// Keeps the sidebar's online/offline marks current: read when the profiles change (a mock
// started or stopped), after operations on clients (they send requests), while a bulk
// refresh runs, and every 15 s for the rest (a probe, a try). Reading sends nothing to
// any provider: the app reads its own history.
import type { ProfileReach } from "../bindings";
import type { AppState } from "../state/app.svelte";
import { byProfile } from "./reach";

export class ReachWatch {
  #reach: Record<string, ProfileReach> = $state({});

  /** Call while a component initialises: the reading stops with it. */
  constructor(app: AppState) {
    const load = () =>
      app.backend.api
        .profileReach()
        .then((list) => (this.#reach = byProfile(list)))
        .catch(() => {});
    $effect(() => {
      void app.profiles;
      void app.clients.version;
      void app.bulk;
      void load();
    });
    $effect(() => {
      const timer = setInterval(load, 15_000);
      return () => clearInterval(timer);
    });
  }

  of(profileId: string): ProfileReach | undefined {
    return this.#reach[profileId];
  }
}
