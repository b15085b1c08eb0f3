# Platform Radar: build and deploy the AWS stack (template.yaml). See docs/deploy.md.
#
# `sam build` runs `make build-RadarLayer` itself (template.yaml: RadarLayer, BuildMethod:
# makefile) with ARTIFACTS_DIR set; the other targets are shortcuts for people.

PYTHON ?= python3
SAM ?= sam
SAM_CONFIG ?= infra/samconfig.toml
ARTIFACTS_DIR ?= .aws-sam/manual/RadarLayer
WHEEL_DIR ?= $(ARTIFACTS_DIR)/wheels

# The layer is built for the Lambda runtime, not for this machine: lxml, pydantic-core, brotli,
# css-inline and pyahocorasick are compiled, so pip picks their arm64 / CPython wheels
# (template.yaml Globals).
# The python3.12 runtime is Amazon Linux 2023 (glibc 2.34); pip wants every manylinux tag up to it named.
LAMBDA_PYTHON ?= 3.12
LAMBDA_ARCH ?= aarch64
GLIBC_MINORS := 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34
LAMBDA_PLATFORMS ?= manylinux2014_$(LAMBDA_ARCH) \
	$(foreach v,$(GLIBC_MINORS),manylinux_2_$(v)_$(LAMBDA_ARCH))
PIP_TARGET_FLAGS ?= $(addprefix --platform ,$(LAMBDA_PLATFORMS)) --implementation cp \
	--python-version $(LAMBDA_PYTHON) --only-binary=:all:
# The .pyc files must come from the runtime's Python (3.12 bytecode for a 3.12 runtime); with
# `sam build --use-container` that is the build image's own python.
COMPILE_PYTHON ?= python$(LAMBDA_PYTHON)
# Extra flags for building the project wheel (tests pass --no-build-isolation to stay offline).
PIP_WHEEL_FLAGS ?=

# The runtime ships boto3 and botocore. We use the runtime's: botocore is the largest package
# by far (see docs/deploy.md for sizes), AWS patches it with the runtime, and the calls Radar
# makes (DynamoDB items, SQS batches, SES v2) are years old. Set BUNDLE_SDK=yes to pin the SDK
# from pyproject.toml instead (bigger layer, a version you control).
BUNDLE_SDK ?= no
SDK_PACKAGES := boto3 botocore s3transfer urllib3

.PHONY: build-RadarLayer build deploy deploy-guided validate test-infra bench-cold-start clean

# pyproject.toml is the only dependency list: the project wheel carries it as metadata, and pip
# resolves the layer from that wheel. Two steps, because --platform takes binary wheels only:
# the first builds wheels for the project and for dependencies published only as sources
# (as sgmllib3k was for older feedparser), the second installs for the Lambda platform from them
# and PyPI.
build-RadarLayer:
	@$(COMPILE_PYTHON) -c "import sys; sys.exit(sys.version[:4] != '$(LAMBDA_PYTHON)')" \
		2>/dev/null || { echo "$(COMPILE_PYTHON) (Python $(LAMBDA_PYTHON)) is needed to precompile \
	the layer for the Lambda runtime: install it, set COMPILE_PYTHON, or use \
	sam build --use-container"; exit 1; }
# setuptools builds in ./build, and a stale one would ship modules deleted since.
	rm -rf "$(WHEEL_DIR)" "$(ARTIFACTS_DIR)/python" build
	$(PYTHON) -m pip wheel --quiet $(PIP_WHEEL_FLAGS) --wheel-dir "$(WHEEL_DIR)" .
	$(PYTHON) -m pip install --quiet --no-compile --target "$(ARTIFACTS_DIR)/python" \
		$(PIP_TARGET_FLAGS) --find-links "$(WHEEL_DIR)" "$(WHEEL_DIR)"/platform_radar-*.whl
	cd "$(ARTIFACTS_DIR)/python" && rm -rf bin lxml/includes
	find "$(ARTIFACTS_DIR)/python" -depth \( -name tests -o -name __pycache__ \) -type d \
		-exec rm -rf {} +
	find "$(ARTIFACTS_DIR)/python" \( -name '*.pyx' -o -name '*.pxd' -o -name '*.pxi' \
		-o -name '*.c' -o -name '*.h' \) -type f -delete
ifneq ($(BUNDLE_SDK),yes)
	cd "$(ARTIFACTS_DIR)/python" && for p in $(SDK_PACKAGES); do \
		rm -rf "$$p" "$$p"-*.dist-info; done
endif
# Unchecked-hash .pyc files are used as they are, whatever the sources' mtimes after zipping
# and unzipping: /opt is read-only in Lambda, so a module whose .pyc is missing or stale is
# compiled again at every cold start (about twice as slow to start).
	$(COMPILE_PYTHON) -m compileall -q -j 0 --invalidation-mode unchecked-hash "$(ARTIFACTS_DIR)/python"
	rm -rf "$(WHEEL_DIR)"

build:
	$(SAM) build --config-file $(SAM_CONFIG)

deploy: build
	$(SAM) deploy --config-file $(SAM_CONFIG)

deploy-guided: build
	$(SAM) deploy --guided --config-file $(SAM_CONFIG)

validate:
	cfn-lint template.yaml

test-infra:
	$(PYTHON) -m pytest -q -p no:cacheprovider tests/infra tests/integration/test_handler_schedule_sources.py tests/integration/test_handler_watch_source.py

bench-cold-start:
	$(PYTHON) tests/bench/bench_cold_start.py | tee tests/bench/reports/cold_start.txt

clean:
	rm -rf .aws-sam build
