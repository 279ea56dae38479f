using System.Net;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Integration;

/// <summary>
/// A users-file reload that removes a user or changes a password ends that user's sessions and remember-me tokens at
/// once, in the store: restoring the line unchanged (or the old password) afterwards revives none of them, although
/// they were idle during the change and never presented.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class UserReloadRevocationTests(RedisServer redis) : RememberMeTestBase(redis)
{
    [Theory]
    [InlineData(null)]
    [InlineData("changed-password")]
    public async Task Users_RemovedOrPasswordChangedThenRestored_OldCookieAndTokenStillRefused(string? changedPassword)
    {
        var original = await File.ReadAllTextAsync(Host.UsersPath);
        var (sid, token) = await LoginRememberedAsync();
        var bob = await LoginAsync("bob");
        // alice's line dropped (null) or given the changed password's hash.
        var aliceLine = changedPassword is null ? null : GatewayHost.Htpasswd(new Dictionary<string, string> { ["alice"] = changedPassword }).Trim();
        var edited = original.Split('\n').Select(l => l.StartsWith("alice:", StringComparison.Ordinal) ? aliceLine : l).OfType<string>();

        await File.WriteAllTextAsync(Host.UsersPath, string.Join('\n', edited));
        await Eventually.HoldsAsync(() => SessionKeys().Count == 1 && RememberKeys().Count == 0, "alice's session and remember-me token ended");
        await File.WriteAllTextAsync(Host.UsersPath, original);
        await Eventually.HoldsAsync(async () => (await GetAsync("/x", r => r.Headers.Authorization = Basic("alice"))).StatusCode == HttpStatusCode.OK, "alice accepted again");

        await AssertRefusedAsync(sid, token);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(bob))).StatusCode);
    }

    private async Task AssertRefusedAsync(string sid, string token)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(sid))).StatusCode);
        var redeemed = await GetAsync("/x", r => r.Headers.Add("Cookie", token));
        Assert.Equal(HttpStatusCode.Unauthorized, redeemed.StatusCode);
        Assert.True(string.IsNullOrEmpty(SessionCookie(redeemed)));
        var audit = await Host.Services.GetRequiredService<Gateway.Sessions.AuditTrail>().ReadAsync("alice", 100, CancellationToken.None);
        Assert.Contains(audit, e => e.Kind == "revoked" && e.By == "users_file");
    }

    private List<string> RememberKeys() => Redis!.Keys(Host.KeyPrefix + "r:");
}
