# Build and run the Truust API. PostgreSQL comes from docker-compose.yml (or ConnectionStrings__Truust).
# `docker run IMAGE migrate` applies the migrations and exits (run it once per deployment, then start instances
# with Truust__MigrateOnStartup=false); `IMAGE healthcheck` is what HEALTHCHECK runs (the runtime image has no curl).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props Truust.sln ./
COPY src/Truust.Domain/Truust.Domain.csproj src/Truust.Domain/
COPY src/Truust.Api/Truust.Api.csproj src/Truust.Api/
RUN dotnet restore src/Truust.Api/Truust.Api.csproj
COPY src/ src/
RUN dotnet publish src/Truust.Api/Truust.Api.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080
USER app
HEALTHCHECK --interval=5s --timeout=10s --start-period=20s --retries=3 CMD ["dotnet", "Truust.Api.dll", "healthcheck"]
ENTRYPOINT ["dotnet", "Truust.Api.dll"]
