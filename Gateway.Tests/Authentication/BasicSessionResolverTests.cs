using Gateway.Authentication;
using Gateway.Sessions;

namespace Gateway.Tests.Authentication;

/// <summary>
/// Basic credentials turned into a session (<see cref="BasicSessionResolver"/>) with the gateway's registrations and
/// no HTTP: the first valid request creates a session and links the credentials to it, later ones reuse it without
/// a new id; wrong or unknown credentials never get one, and nothing is created when creating is not allowed.
/// </summary>
public sealed class BasicSessionResolverTests : ResolverTestBase
{
    private static readonly ClientInfo Client = new("192.0.2.10", "test");

    private Task<BasicOutcome> ResolveAsync(string user, string password, bool allowCreate = true) =>
        Get<BasicSessionResolver>().ResolveAsync(user, password, Client, allowCreate, CancellationToken.None);

    [Fact]
    public async Task Resolve_ValidCredentialsTwice_SecondReusesTheLinkedSession()
    {
        var first = await ResolveAsync("alice", Password("alice"));
        var second = await ResolveAsync("alice", Password("alice"));

        Assert.NotNull(first.NewId);
        Assert.Equal("alice", first.Session?.User);
        Assert.Null(second.NewId);
        Assert.Equal(first.Session!.Key, second.Session?.Key);
    }

    [Fact]
    public async Task Resolve_LinkedCredentialsWithoutCreate_FindsTheSession()
    {
        var first = await ResolveAsync("alice", Password("alice"));

        var linked = await ResolveAsync("alice", Password("alice"), allowCreate: false);

        Assert.Equal(first.Session!.Key, linked.Session?.Key);
        Assert.Null(linked.NewId);
    }

    [Fact]
    public async Task Resolve_UnlinkedCredentialsWithoutCreate_FailsAndCreatesNothing()
    {
        var refused = await ResolveAsync("alice", Password("alice"), allowCreate: false);
        var created = await ResolveAsync("alice", Password("alice"));

        Assert.Null(refused.Session);
        Assert.Null(refused.NewId);
        Assert.NotNull(created.NewId);
    }

    [Theory]
    [InlineData("alice", "wrong-password")]
    [InlineData("no-such-user", "alice-password")]
    public async Task Resolve_WrongPasswordOrUnknownUser_FailsWithoutASession(string user, string password)
    {
        var outcome = await ResolveAsync(user, password);

        Assert.Null(outcome.Session);
        Assert.Null(outcome.NewId);
        Assert.Null(outcome.RetryAfter);
        Assert.False(outcome.IsOverloaded);
    }

    [Fact]
    public async Task Resolve_OtherUsersPasswordAfterALink_NeverGetsTheLinkedSession()
    {
        var alice = await ResolveAsync("alice", Password("alice"));

        var bob = await ResolveAsync("bob", Password("alice"));

        Assert.NotNull(alice.Session);
        Assert.Null(bob.Session);
    }

    [Fact]
    public async Task Resolve_ConcurrentFirstRequests_ShareOneSession()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => ResolveAsync("bob", Password("bob")))));

        Assert.All(outcomes, o => Assert.Equal("bob", o.Session?.User));
        Assert.Single(outcomes.Select(o => o.Session!.Key).Distinct());
    }
}
