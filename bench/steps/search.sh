# Search over a large local database: the desktop list's first page, and text searches.

step_search() {
  say "search over $search_rows registrations"
  "$bench" search --rows "$rows" --clients "$search_rows" --runs "$search_runs"
}
