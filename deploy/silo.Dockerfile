# syntax=docker/dockerfile:1
# The silo image: grains and the service-queue pumps (and the gateway's code, for Silo__EmbeddedGateway; this image
# does not carry the browser library, so containers serve browsers from the gateway image). Build from the repository root (deploy/README.md):
#   docker build -f deploy/silo.Dockerfile -t realtime-orleans-silo .
# BuildKit (Docker's default builder) reads silo.Dockerfile.dockerignore beside this file, which keeps the host's
# bin/ and obj/ out of the context: a copied obj/project.assets.json would point the build at host paths.

# The base of the shipped stage. Where no image registry is reachable, a local stand-in with the same runtime
# (deploy/README.md, "Running the images with podman").
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0-alpine
# Where the published program comes from: "build" compiles it in the SDK stage below; "prebuilt" takes the output
# of the same `dotnet publish` from artifacts/containers/silo/ in the build context, for hosts that build without
# the SDK image.
ARG APP_STAGE=build

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Project files first: the restore layer is reused until a project file or a package version changes.
COPY Directory.Build.props Directory.Packages.props ./
COPY Grains.Interfaces/Grains.Interfaces.csproj Grains.Interfaces/
COPY Grains/Grains.csproj Grains/
COPY Hosting/Hosting.csproj Hosting/
COPY Gateway/Gateway.csproj Gateway/
COPY Silo/Silo.csproj Silo/
RUN dotnet restore Silo/Silo.csproj
COPY Grains.Interfaces/ Grains.Interfaces/
COPY Grains/ Grains/
COPY Hosting/ Hosting/
COPY Gateway/ Gateway/
COPY Silo/ Silo/
RUN dotnet publish Silo/Silo.csproj -c Release --no-restore -o /app -p:UseAppHost=false

FROM scratch AS prebuilt
COPY artifacts/containers/silo/ /app/

FROM ${APP_STAGE} AS app

# Alpine rather than the default Ubuntu or chiselled runtime: its busybox has the wget the HEALTHCHECK needs, and
# the chiselled images have no shell or HTTP tool at all (Kubernetes, which ignores HEALTHCHECK, could use one).
FROM ${RUNTIME_IMAGE} AS runtime
WORKDIR /app
COPY --from=app /app ./
# Urls: health on every interface (the image's ASPNETCORE_HTTP_PORTS is cleared: Urls replaces it).
# Cluster__AdvertisedIP=auto: the silo advertises the container's own IP; loopback would be unreachable for the
# other silos. Kubernetes sets the pod IP instead. Cluster__Redis has no sensible default here: set it.
ENV Urls=http://0.0.0.0:8081 \
    ASPNETCORE_HTTP_PORTS= \
    Cluster__Clustering=Redis \
    Cluster__AdvertisedIP=auto
# 11111 silo-to-silo, 30000 the Orleans gateway port the gateway processes connect to, 8081 HTTP (/healthz,
# /readyz, /metrics).
EXPOSE 11111 30000 8081
USER $APP_UID
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD wget -q -T 2 -O /dev/null http://127.0.0.1:8081/healthz || exit 1
ENTRYPOINT ["dotnet", "Realtime.Orleans.Silo.dll"]
