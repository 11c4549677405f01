# The two commands of README.md. Each installs what is missing first (scripts/setup.sh).
.PHONY: run test setup mock ui dist

setup:
	@scripts/setup.sh

ui:
	@npm --prefix ui run build --silent

# Opens the desktop app, with the embedded mock provider behind a ready "Local mock" profile.
run: setup ui
	cargo run -p registrar-app

# Every check and every test, as CI runs them.
test: setup
	@scripts/test.sh

# Only the mock provider, in the foreground: make mock KIND=liberty PORT=9400
mock:
	cargo run -p registrar-mock-op -- --kind $(or $(KIND),generic) --port $(or $(PORT),9400)

# Release packages: a .deb and an .rpm (target/package-root/release/bundle/{deb,rpm}) with the app, the
# `registrar` command, its man pages and completions, checked as the test command checks.
dist: setup ui
	@scripts/package.sh --release
