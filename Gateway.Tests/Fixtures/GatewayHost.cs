using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Fixtures;

/// <summary>
/// The real gateway pipeline on Kestrel (loopback, free port), with its own configuration directory
/// (routes.json, users.htpasswd) that tests may edit to exercise hot reload, and a clock the test controls.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    /// <summary>Users of every host: alice (user), bob (admin), bcrypt cost 4 to keep tests fast.</summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultPasswords = new Dictionary<string, string>
    {
        ["alice"] = "alice-password",
        ["bob"] = "bob-password",
    };

    private WebApplication? _app;

    private GatewayHost(string directory, ManualTimeProvider clock)
    {
        Directory = directory;
        Clock = clock;
    }

    public string Directory { get; }

    public ManualTimeProvider Clock { get; }

    public Uri Address { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public string RoutesPath => Path.Combine(Directory, "routes.json");

    public string UsersPath => Path.Combine(Directory, "users.htpasswd");

    /// <summary>The store isolation key of this gateway (with Redis, its key prefix).</summary>
    public string KeyPrefix { get; private set; } = "";

    /// <summary>
    /// Starts a gateway proxying to <paramref name="backendUrl"/> on <paramref name="store"/>; null selects the in-memory
    /// store (named explicitly, so no default store ever leaves files behind). Gateways given the same
    /// <paramref name="keyPrefix"/> (the store's isolation key) share their sessions (several instances, one store).
    /// <paramref name="settings"/> override everything else; <paramref name="configure"/> runs after the gateway's own
    /// registrations (extra loggers, telemetry exporters).
    /// </summary>
    public static async Task<GatewayHost> StartAsync(string backendUrl, IStoreFixture? store, IDictionary<string, string?>? settings = null,
        Action<WebApplicationBuilder>? configure = null, string? keyPrefix = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("gw-host-").FullName;
        var host = new GatewayHost(directory, new ManualTimeProvider());
        await File.WriteAllTextAsync(host.RoutesPath, Routes(backendUrl));
        await File.WriteAllTextAsync(host.UsersPath, Htpasswd(DefaultPasswords));
        await File.WriteAllTextAsync(Path.Combine(directory, "appsettings.json"), "{}");
        host.KeyPrefix = keyPrefix ?? $"t{Guid.NewGuid():N}:"[..14];

        var config = new Dictionary<string, string?>
        {
            ["Gateway:Users:File"] = "users.htpasswd",
            ["Gateway:Users:Roles:alice:0"] = "user",
            ["Gateway:Users:Roles:bob:0"] = "user",
            ["Gateway:Users:Roles:bob:1"] = "admin",
            ["Gateway:Policies:admins:Roles:0"] = "admin",
            ["Gateway:Store:KeyPrefix"] = host.KeyPrefix,
            // Room for a loaded CI machine (a GC pause or a busy core must not turn a login into a 503); the
            // tests about slow or absent Redis set the production default, 500 ms, themselves.
            ["Gateway:Store:Timeout"] = "00:00:02",
            // The near cache is on by default with Redis (1 s), and this host's clock is manual: tests that change the
            // store behind the gateway's back and expect the effect at once run without it; the near-cache tests set it.
            ["Gateway:Store:NearCache"] = "00:00:00",
        };
        var storeSettings = store is null
            ? new Dictionary<string, string?> { ["Gateway:Store:Provider"] = "Memory" }
            : await store.GatewaySettingsAsync(host.KeyPrefix);
        foreach (var (key, value) in storeSettings.Concat(settings ?? new Dictionary<string, string?>()))
        {
            config[key] = value;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = directory, EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(config);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(host.Clock);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddGateway();
        configure?.Invoke(builder);
        host._app = builder.Build();
        host._app.MapGateway();
        await host._app.StartAsync();
        var address = host._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.Address = new Uri(address);
        return host;
    }

    /// <summary>Changes configuration while running, as an edited appsettings.json would (options monitors see it).</summary>
    public void SetConfiguration(string key, string? value)
    {
        _app!.Configuration[key] = value;
        ((IConfigurationRoot)_app.Configuration).Reload();
    }

    /// <summary>A client that neither follows redirects nor keeps cookies: tests see and send every header themselves.</summary>
    public HttpClient CreateClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None })
        {
            BaseAddress = Address,
            Timeout = TimeSpan.FromSeconds(30),
        };

    public static string Htpasswd(IReadOnlyDictionary<string, string> passwords) =>
        string.Join('\n', passwords.Select(p => $"{p.Key}:{BCrypt.Net.BCrypt.HashPassword(p.Value, 4).Replace("$2a$", "$2y$")}")) + "\n";

    /// <summary>
    /// Routes for tests: /public/** anonymous, /admin/** the "admins" policy, /session-only/** "default",
    /// everything else the fallback (session required).
    /// </summary>
    public static string Routes(string backendUrl, params (string Id, string Path, string? Policy)[] extra)
    {
        var routes = new Dictionary<string, object>
        {
            ["public"] = Route("/public/{**rest}", "anonymous"),
            ["admin"] = Route("/admin/{**rest}", "admins"),
            ["default"] = Route("/session-only/{**rest}", "default"),
            ["app"] = Route("{**catch-all}", null),
        };
        foreach (var (id, path, policy) in extra)
        {
            routes[id] = Route(path, policy);
        }
        var document = new
        {
            ReverseProxy = new
            {
                Routes = routes,
                Clusters = new Dictionary<string, object>
                {
                    ["backend"] = new { Destinations = new Dictionary<string, object> { ["one"] = new { Address = backendUrl } } },
                },
            },
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true });

        static Dictionary<string, object> Route(string path, string? policy)
        {
            var route = new Dictionary<string, object> { ["ClusterId"] = "backend", ["Match"] = new { Path = path } };
            if (policy is not null)
            {
                route["AuthorizationPolicy"] = policy;
            }
            return route;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file watcher may still hold the directory for a moment; the temp folder is cleaned by the OS.
        }
    }
}
