# genodose container: Debian 12, the packages of scripts/install-deps.sh (the same list the
# build, tests and CI use), genodose built from this checkout and installed under /opt/genodose:
#   bin/genodose, bin/genodose-torch (training helper), bin/genodose-sample-summary (workflows),
#   share/genodose/models, share/genodose/data (found there by genodose, beside the executable).
# The image the workflows point at (pipelines/snakemake `container:`, pipelines/nextflow
# `params.container`); see docs/workflows.md. It cannot be built in the development sandbox
# (no container daemon); build it where Docker runs:
#   docker build -t genodose:0.1.0 .
#   docker run --rm genodose:0.1.0 genodose --version
FROM debian:12

ENV DEBIAN_FRONTEND=noninteractive \
    LANG=C.UTF-8

WORKDIR /src/genodose
# The install script alone first, so the package layer is cached across source changes.
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN scripts/install-deps.sh && rm -rf /var/lib/apt/lists/*

COPY . .
RUN cmake -S . -B /tmp/build -DCMAKE_BUILD_TYPE=Release -DGENODOSE_BUILD_TESTS=OFF \
 && cmake --build /tmp/build -j"$(nproc)" --target genodose genodose-torch \
 && install -D -m 755 /tmp/build/genodose /opt/genodose/bin/genodose \
 && install -D -m 755 /tmp/build/genodose-torch /opt/genodose/bin/genodose-torch \
 && install -D -m 755 pipelines/bin/genodose-sample-summary /opt/genodose/bin/genodose-sample-summary \
 && mkdir -p /opt/genodose/share/genodose \
 && cp -r models data /opt/genodose/share/genodose/ \
 && cd / && rm -rf /tmp/build /src/genodose

ENV PATH=/opt/genodose/bin:$PATH
WORKDIR /data
RUN genodose --version
CMD ["genodose", "--help"]
