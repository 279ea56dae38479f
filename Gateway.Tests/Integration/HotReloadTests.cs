using System.Net;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>routes.json and the htpasswd file are reloaded on change, without a restart.</summary>
[Collection(RedisCollection.Name)]
public sealed class HotReloadTests(RedisServer redis) : GatewayTestBase(redis)
{
    [Fact]
    public async Task Routes_EditedWhileRunning_NewRouteServedAndBrokenEditKeepsLastGood()
    {
        var sid = await LoginAsync("bob");
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/open/x")).StatusCode);

        await File.WriteAllTextAsync(Host.RoutesPath, GatewayHost.Routes(Backend.Url, ("open", "/open/{**rest}", "anonymous")));
        await EventuallyAsync(async () => (await GetAsync("/open/x")).StatusCode == HttpStatusCode.OK);

        await File.WriteAllTextAsync(Host.RoutesPath, "{ \"ReverseProxy\": { \"Routes\": { \"bad\": { \"ClusterId\": \"nope\", \"Match\": { \"Path\": \"/bad\" }, \"AuthorizationPolicy\": \"no-such-policy\" } } } ");
        await Task.Delay(1500);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/open/x")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(sid))).StatusCode);
    }

    [Fact]
    public async Task Users_PasswordChangedInFile_NewPasswordWorksOldFailsAndSessionsEnd()
    {
        var sid = await LoginAsync("alice");
        var passwords = new Dictionary<string, string>(GatewayHost.DefaultPasswords) { ["alice"] = "new-password" };

        await File.WriteAllTextAsync(Host.UsersPath, GatewayHost.Htpasswd(passwords));

        await EventuallyAsync(async () => (await GetAsync("/x", r => r.Headers.Authorization = Basic("alice", "new-password"))).StatusCode == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", r => r.Headers.Authorization = Basic("alice", "alice-password"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(sid))).StatusCode);
    }

    [Fact]
    public async Task Users_UserRemovedFromFile_SessionEndsAtNextRequest()
    {
        var sid = await LoginAsync("bob");

        await File.WriteAllTextAsync(Host.UsersPath, GatewayHost.Htpasswd(GatewayHost.DefaultPasswords.Where(p => p.Key != "bob").ToDictionary()));

        await EventuallyAsync(async () => (await GetAsync("/x", WithCookie(sid))).StatusCode == HttpStatusCode.Unauthorized);
        Assert.Empty(Redis!.Keys(Host.KeyPrefix + "s:"));
    }

    [Fact]
    public async Task Users_BrokenFileEdit_KeepsWorkingUsers()
    {
        await File.WriteAllTextAsync(Host.UsersPath, "alice:plaintext\nbob:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n");
        await Task.Delay(1500);

        var response = await GetAsync("/x", r => r.Headers.Authorization = Basic("alice", "plaintext"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 15 s");
            await Task.Delay(200);
        }
    }
}
