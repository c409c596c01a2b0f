# syntax=docker/dockerfile:1
# The gateway image: the WebSocket front door and the browser client's static files. Build from the repository root:
#   docker build -f deploy/gateway.Dockerfile -t realtime-orleans-gateway .
# BuildKit reads gateway.Dockerfile.dockerignore beside this file (no host bin/, obj/ or node_modules/).

# The browser client: Client/build.mjs writes it into Gateway/wwwroot, which the gateway serves.
# The base of the shipped stage. Where no image registry is reachable, a local stand-in with the same runtime
# (deploy/README.md, "Running the images with podman").
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0-alpine
# Where the published program comes from: "build" compiles it in the SDK stage below; "prebuilt" takes the output
# of the same `dotnet publish` from artifacts/containers/gateway/ in the build context, for hosts that build without
# the SDK image.
ARG APP_STAGE=build

FROM node:20-slim AS client
WORKDIR /src/Client
COPY Client/package.json Client/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY Client/ ./
RUN npm run build

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Project files first: the restore layer is reused until a project file or a package version changes.
COPY Directory.Build.props Directory.Packages.props ./
COPY Grains.Interfaces/Grains.Interfaces.csproj Grains.Interfaces/
COPY Grains/Grains.csproj Grains/
COPY Hosting/Hosting.csproj Hosting/
COPY Gateway/Gateway.csproj Gateway/
RUN dotnet restore Gateway/Gateway.csproj
COPY Grains.Interfaces/ Grains.Interfaces/
COPY Grains/ Grains/
COPY Hosting/ Hosting/
COPY Gateway/ Gateway/
COPY --from=client /src/Gateway/wwwroot/ Gateway/wwwroot/
RUN dotnet publish Gateway/Gateway.csproj -c Release --no-restore -o /app -p:UseAppHost=false

FROM scratch AS prebuilt
COPY artifacts/containers/gateway/ /app/

FROM ${APP_STAGE} AS app

# Alpine: its busybox has the wget the HEALTHCHECK needs; chiselled images have no shell or HTTP tool.
FROM ${RUNTIME_IMAGE} AS runtime
WORKDIR /app
COPY --from=app /app ./
# Django__SecretKey is required and deliberately has no default: set it from a secret (deploy/README.md).
ENV Urls=http://0.0.0.0:8080 \
    ASPNETCORE_HTTP_PORTS= \
    Cluster__Clustering=Redis
EXPOSE 8080
USER $APP_UID
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD wget -q -T 2 -O /dev/null http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["dotnet", "Realtime.Orleans.Gateway.dll"]
