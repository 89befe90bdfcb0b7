# jkn_exporter container image.
#
#   docker build -t jkn_exporter \
#     --build-arg VERSION=$(git describe --tags --always --dirty) \
#     --build-arg REVISION=$(git rev-parse HEAD) \
#     --build-arg BRANCH=$(git rev-parse --abbrev-ref HEAD) .
#   docker run -p 10947:10947 jkn_exporter        # serves the embedded demo
#
# The binary is built by `make build`, the same target developers and CI
# run: static (CGO off), -trimpath, version stamped into
# jkn_exporter_build_info. cmd/jkn_exporter/container_cmd_test.go checks
# this file against the Makefile and the binary's flags.

# Keep in step with the go directive of go.mod.
FROM golang:1.26 AS build
WORKDIR /src
# Modules first: this layer is rebuilt only when go.mod or go.sum change.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
ARG REVISION=unknown
ARG BRANCH=unknown
RUN make build VERSION="$VERSION" REVISION="$REVISION" BRANCH="$BRANCH"
# The snapshot directory, owned by the runtime user: a named volume
# mounted there starts with this owner (distroless has no shell to chown).
RUN mkdir -p /rootfs/var/lib/jkn_exporter

FROM gcr.io/distroless/static-debian12:nonroot
ARG VERSION=dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="jkn_exporter" \
      org.opencontainers.image.description="Prometheus exporter for JKN (Indonesian national health insurance) coverage per region, read from BPJS Kesehatan branch-office workbooks." \
      org.opencontainers.image.source="https://github.com/jkn-exporter/jkn_exporter" \
      org.opencontainers.image.licenses="Apache-2.0 AND ODbL-1.0" \
      org.opencontainers.image.version="$VERSION" \
      org.opencontainers.image.revision="$REVISION"
COPY --from=build /src/jkn_exporter /bin/jkn_exporter
COPY --from=build --chown=65532:65532 /rootfs/var/lib/jkn_exporter /var/lib/jkn_exporter
# nonroot (65532) of the distroless image, by number so that Kubernetes'
# runAsNonRoot can verify it.
USER 65532:65532
VOLUME /var/lib/jkn_exporter
EXPOSE 10947
ENTRYPOINT ["/bin/jkn_exporter"]
# Without --config.file the embedded demo is served. With a mounted
# config, pass it and keep the storage path:
#   docker run ... jkn_exporter --config.file=/etc/jkn_exporter/config.yml --storage.path=/var/lib/jkn_exporter
CMD ["--storage.path=/var/lib/jkn_exporter"]
