# The llmchaos image: one static binary (CGO_ENABLED=0) on distroless, run as non-root.
# It serves the mocks (llmchaos mock ...) and runs scenarios (llmchaos run ...).
#   docker build -t llmchaos .
#   docker run --rm llmchaos version
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/llmchaos ./cmd/llmchaos

# distroless/static: CA certificates, /etc/passwd with nonroot (65532), no shell.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/llmchaos /usr/local/bin/llmchaos
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/llmchaos"]
