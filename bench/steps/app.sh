# The desktop app against an empty Tauri 2 window, both under Xvfb in this run: time from
# process start to the final picture (the app's client list, the empty window's page) and
# idle memory, PSS summed over each program and its WebKit processes. The app opens a data
# directory with many clients, as a user who last looked at that profile would.

step_app_startup() {
  say "app start and memory against an empty Tauri window ($app_clients clients)"
  local data=$work/app-data
  "$bench" seed --dir "$data" --clients "$app_clients" --profile bench
  # The app reopens the profile the user last looked at (tauri-plugin-store preferences).
  local prefs=$XDG_DATA_HOME/dev.registrar.desktop
  mkdir -p "$prefs"
  echo '{"preferences":{"theme":"system","lastProfile":"bench","columns":["client_name","client_id","status","client_secret_expires_at","last_synced_at"],"windowSize":null}}' \
    >"$prefs/preferences.json"
  xvfb-run -a -s "-screen 0 1280x900x24 -noreset" "$bench" startup --rows "$rows" \
    --app "$bin_dir/registrar-app" --empty "$bin_dir/registrar-empty-window" \
    --app-env "REGISTRAR_DATA_DIR=$data" --clients "$app_clients" \
    --runs "$app_runs" --warmups "$app_warmups" --quiet "$app_quiet" --idle "$app_idle" \
    --shots "$work" --timeline 2>&1 | { grep -v -e '^dbus-daemon' -e 'SpiRegistry' >&2 || true; }
  for shot in "$work"/app.ppm "$work"/empty.ppm; do
    [ -f "$shot" ] && command -v convert >/dev/null && convert "$shot" "${shot%.ppm}.png" && rm "$shot"
  done
  return 0
}
