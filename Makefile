# The two commands of README.md. Each installs what is missing first.
.PHONY: run test setup mock

setup:
	@scripts/setup.sh

# Runs the embedded mock provider (the desktop app will take its place here).
run: setup
	cargo run --release -p registrar-mock-op -- --kind generic --port 9400

test: setup
	@scripts/test.sh
