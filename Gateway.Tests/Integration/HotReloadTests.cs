using System.Net;
using Gateway.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Integration;

/// <summary>routes.json and the htpasswd file are reloaded on change, without a restart.</summary>
[Collection(RedisCollection.Name)]
public sealed class HotReloadTests(RedisServer redis) : GatewayTestBase(redis)
{
    private readonly LogCapture _logs = new();

    protected override void ConfigureHost(WebApplicationBuilder builder) => builder.Logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Information);

    [Fact]
    public async Task Routes_EditedWhileRunning_NewRouteServedAndBrokenEditKeepsLastGood()
    {
        var sid = await LoginAsync("bob");
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/open/x")).StatusCode);

        await File.WriteAllTextAsync(Host.RoutesPath, GatewayHost.Routes(Backend.Url, ("open", "/open/{**rest}", "anonymous")));
        await Eventually.HoldsAsync(async () => (await GetAsync("/open/x")).StatusCode == HttpStatusCode.OK, "the new anonymous route served");

        await File.WriteAllTextAsync(Host.RoutesPath, "{ \"ReverseProxy\": { \"Routes\": { \"bad\": { \"ClusterId\": \"nope\", \"Match\": { \"Path\": \"/bad\" }, \"AuthorizationPolicy\": \"no-such-policy\" } } } ");
        await Eventually.HoldsAsync(() => _logs.Entries.Any(e =>
            e.EventId.Id == 1801 && e.Level == LogLevel.Error && e.Message.Contains(Host.RoutesPath, StringComparison.Ordinal) && e.Message.Contains("LineNumber", StringComparison.Ordinal)), "the broken routes.json logged (1801) with its path and line");

        // Another file's reload fires the root reload token YARP listens to: it must still find the last good routes.
        await File.WriteAllTextAsync(Path.Combine(Host.Directory, "appsettings.json"), """{ "Gateway": { "Login": { "Title": "Edited while routes.json is broken" } } }""");
        await Eventually.HoldsAsync(async () => (await (await GetAsync("/auth/login")).Content.ReadAsStringAsync()).Contains("Edited while routes.json is broken", StringComparison.Ordinal), "the login page title reloaded");
        await Task.Delay(1000);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/open/x")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(sid))).StatusCode);

        await File.WriteAllTextAsync(Host.RoutesPath, GatewayHost.Routes(Backend.Url, ("fixed", "/fixed/{**rest}", "anonymous")));
        await Eventually.HoldsAsync(async () => (await GetAsync("/fixed/x")).StatusCode == HttpStatusCode.OK, "the fixed route served");
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/open/x")).StatusCode);
    }

    [Fact]
    public async Task Routes_BrokenFileThenConfigurationRootReload_ReloadSucceedsAndRoutesKept()
    {
        var sid = await LoginAsync("alice");
        await File.WriteAllTextAsync(Host.RoutesPath, "{ \"ReverseProxy\": { \"Routes\": ");
        await Eventually.HoldsAsync(() => _logs.Entries.Any(e => e.EventId.Id == 1801), "the broken routes.json logged (1801)");

        Host.SetConfiguration("Gateway:Login:Title", "Reloaded");
        await Task.Delay(1000);

        Assert.Contains("Reloaded", await (await GetAsync("/auth/login")).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/public/x")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(sid))).StatusCode);
    }

    [Fact]
    public async Task Users_PasswordChangedInFile_NewPasswordWorksOldFailsAndSessionsEnd()
    {
        var sid = await LoginAsync("alice");
        var passwords = new Dictionary<string, string>(GatewayHost.DefaultPasswords) { ["alice"] = "new-password" };

        await File.WriteAllTextAsync(Host.UsersPath, GatewayHost.Htpasswd(passwords));

        await Eventually.HoldsAsync(async () => (await GetAsync("/x", r => r.Headers.Authorization = Basic("alice", "new-password"))).StatusCode == HttpStatusCode.OK, "the new password accepted");
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", r => r.Headers.Authorization = Basic("alice", "alice-password"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(sid))).StatusCode);
    }

    [Fact]
    public async Task Users_UserRemovedFromFile_SessionEndsAtNextRequest()
    {
        var sid = await LoginAsync("bob");

        await File.WriteAllTextAsync(Host.UsersPath, GatewayHost.Htpasswd(GatewayHost.DefaultPasswords.Where(p => p.Key != "bob").ToDictionary()));

        await Eventually.HoldsAsync(async () => (await GetAsync("/x", WithCookie(sid))).StatusCode == HttpStatusCode.Unauthorized, "the removed user's session refused");
        Assert.Empty(Redis!.Keys(Host.KeyPrefix + "s:"));
    }

    [Fact]
    public async Task Users_BrokenFileEdit_KeepsWorkingUsers()
    {
        var sid = await LoginAsync("alice");

        await File.WriteAllTextAsync(Host.UsersPath, "alice:plaintext\nbob:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n");
        await Eventually.HoldsAsync(() => _logs.Entries.Any(e =>
            e.EventId.Id == 1106 && e.Level == LogLevel.Error && e.Message.Contains("2 lines refused", StringComparison.Ordinal)), "the refused users-file lines logged (1106)");

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", r => r.Headers.Authorization = Basic("alice"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(sid))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", r => r.Headers.Authorization = Basic("alice", "plaintext"))).StatusCode);
        Assert.DoesNotContain(_logs.Entries, e => e.Category == typeof(Gateway.Users.UserStore).FullName && e.EventId.Id == 1101);
    }

    [Fact]
    public async Task Users_FileTruncatedBeforeItsWrite_KeepsUsersAndSessions_CommentOnlyFileRemovesEveryone()
    {
        var sid = await LoginAsync("alice");

        // What a reload sees between `cat > users.htpasswd` truncating the file and writing it.
        await File.WriteAllTextAsync(Host.UsersPath, "");
        await Eventually.HoldsAsync(() => _logs.Entries.Any(e => e.EventId.Id == 1107 && e.Level == LogLevel.Warning), "the empty users file logged (1107)");

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(sid))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", r => r.Headers.Authorization = Basic("bob"))).StatusCode);
        Assert.NotEmpty(Redis!.Keys(Host.KeyPrefix + "s:"));

        await File.WriteAllTextAsync(Host.UsersPath, "# nobody may log in\n");
        await Eventually.HoldsAsync(async () => (await GetAsync("/x", WithCookie(sid))).StatusCode == HttpStatusCode.Unauthorized, "the session refused once nobody may log in");
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", r => r.Headers.Authorization = Basic("bob"))).StatusCode);
        Assert.Contains(_logs.Entries, e => e.EventId.Id == 1104);
    }
}
