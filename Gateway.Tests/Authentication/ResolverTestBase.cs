using System.Net;
using System.Text;
using Gateway.Authentication;
using Gateway.Sessions;
using Gateway.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Authentication;

/// <summary>
/// The gateway's own registrations (in-memory store; the host is built, never started), for tests of the Session
/// scheme's pieces one at a time on a <see cref="DefaultHttpContext"/>.
/// </summary>
public abstract class ResolverTestBase : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gw-resolvers-").FullName;
    private WebApplication _app = null!;

    public virtual async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "routes.json"), GatewayHost.Routes("http://127.0.0.1:9/"));
        await File.WriteAllTextAsync(Path.Combine(_directory, "users.htpasswd"), GatewayHost.Htpasswd(GatewayHost.DefaultPasswords));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = _directory, EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = "",
            ["Gateway:Users:File"] = "users.htpasswd",
            ["Gateway:Users:Roles:alice:0"] = "user",
            ["Gateway:Policies:admins:Roles:0"] = "admin",
        });
        builder.Logging.ClearProviders();
        builder.AddGateway();
        _app = builder.Build();
    }

    public virtual async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private protected T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    private protected string CookieName => Get<SessionCookies>().Name;

    private protected static string Password(string user) => GatewayHost.DefaultPasswords[user];

    private protected SessionResolution Request(Action<HttpRequest>? setUp = null, string method = "GET")
    {
        var context = new DefaultHttpContext { RequestServices = _app.Services };
        context.Request.Method = method;
        context.Request.Path = "/app/x";
        context.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.10");
        setUp?.Invoke(context.Request);
        return new SessionResolution(context, SessionAuthenticationFeature.Of(context), ClientInfo.From(context), keepRecords: false);
    }

    private protected async Task<SignedIn> SignInAsync(string user = "alice", string? rememberSelector = null)
    {
        var outcome = await Get<PasswordSignIn>().SignInAsync(
            new SignInRequest(user, Password(user), "json", new ClientInfo("192.0.2.10", "test")) { RememberSelector = rememberSelector }, CancellationToken.None);
        return outcome.SignedIn ?? throw new InvalidOperationException($"sign-in failed: {outcome.Failure}");
    }

    private protected static string Basic(string user, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
}
