using System.Security.Claims;
using Gateway.Authentication;
using Gateway.Sessions;

namespace Gateway.Tests.Authentication;

public sealed class SessionPrincipalTests
{
    private static readonly string[] Roles = ["user"];

    [Fact]
    public void For_SameRecordKeyAndRoles_OnePrincipalReused()
    {
        var key = SessionId.New().Key;
        var record = Record("alice");

        var first = SessionPrincipal.For(new ResolvedSession(key, record, Roles), keep: true);
        var second = SessionPrincipal.For(new ResolvedSession(key, record, Roles), keep: true);

        Assert.Same(first, second);
        Assert.Equal("alice", first.Identity!.Name);
    }

    [Fact]
    public void For_AnotherSession_ItsOwnIdentity()
    {
        var alice = SessionPrincipal.For(new ResolvedSession(SessionId.New().Key, Record("alice"), Roles), keep: true);
        var bobKey = SessionId.New().Key;

        var bob = SessionPrincipal.For(new ResolvedSession(bobKey, Record("bob"), ["admin"]), keep: true);

        Assert.NotSame(alice, bob);
        Assert.Equal("bob", bob.Identity!.Name);
        Assert.Equal(bobKey.Handle, bob.FindFirst(SessionDefaults.HandleClaim)!.Value);
        Assert.Equal(["admin"], bob.FindAll(ClaimTypes.Role).Select(c => c.Value));
    }

    [Fact]
    public void For_RecordReadAgainOrTouched_NewPrincipal()
    {
        var key = SessionId.New().Key;
        var record = Record("alice");
        var cached = SessionPrincipal.For(new ResolvedSession(key, record, Roles), keep: true);

        // Equal content, another object: what a re-read from the store after an invalidation or a touch gives.
        var reread = SessionPrincipal.For(new ResolvedSession(key, record with { }, Roles), keep: true);

        Assert.NotSame(cached, reread);
    }

    [Fact]
    public void For_SameRecordUnderAnotherKey_NotTheCachedPrincipal()
    {
        var record = Record("alice");
        var original = SessionPrincipal.For(new ResolvedSession(SessionId.New().Key, record, Roles), keep: true);
        var rotatedKey = SessionId.New().Key;

        var rotated = SessionPrincipal.For(new ResolvedSession(rotatedKey, record, Roles), keep: true);

        Assert.NotSame(original, rotated);
        Assert.Equal(rotatedKey.Handle, rotated.FindFirst(SessionDefaults.HandleClaim)!.Value);
    }

    [Fact]
    public void For_RolesReloaded_NewPrincipalWithTheNewRoles()
    {
        var key = SessionId.New().Key;
        var record = Record("alice");
        var before = SessionPrincipal.For(new ResolvedSession(key, record, Roles), keep: true);

        var after = SessionPrincipal.For(new ResolvedSession(key, record, ["user", "admin"]), keep: true);

        Assert.NotSame(before, after);
        Assert.True(after.IsInRole("admin"));
        Assert.Equal("user,admin", Assert.IsType<SessionIdentity>(after.Identity).RolesHeader);
    }

    [Fact]
    public void For_StoreDoesNotShareRecords_BuiltEachTime()
    {
        var key = SessionId.New().Key;
        var record = Record("alice");

        var first = SessionPrincipal.For(new ResolvedSession(key, record, Roles), keep: false);
        var second = SessionPrincipal.For(new ResolvedSession(key, record, Roles), keep: false);

        Assert.NotSame(first, second);
        Assert.Equal("alice", second.Identity!.Name);
    }

    private static SessionRecord Record(string user) =>
        new(user, ["at-login"], default, default, DateTimeOffset.MaxValue, "127.0.0.1", "test", "stamp", "form");
}
