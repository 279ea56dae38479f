using Gateway.Users;

namespace Gateway.Tests.Users;

/// <summary>How a reload reads an htpasswd file that an editor or <c>htpasswd</c> may still be writing.</summary>
public sealed class UserStoreTests
{
    [Fact]
    public void ReadStable_TextStillBeingWritten_ReturnsTextOnceTwoReadsAgree()
    {
        var reads = new Queue<string>(["alice:$2y$04$half", "alice:$2y$04$whole\nbob:$2y$04$half", "alice:$2y$04$whole\nbob:$2y$04$whole", "alice:$2y$04$whole\nbob:$2y$04$whole"]);
        var waits = 0;

        var text = UserStore.ReadStable(reads.Dequeue, () => waits++, maxReads: 10);

        Assert.Equal("alice:$2y$04$whole\nbob:$2y$04$whole", text);
        Assert.Equal(4, waits);
        Assert.Empty(reads);
    }

    [Fact]
    public void ReadStable_NeverSettles_ReturnsNullAfterMaxReads()
    {
        var reads = 0;

        var text = UserStore.ReadStable(() => $"alice:{reads++}", () => { }, maxReads: 5);

        Assert.Null(text);
        Assert.Equal(5, reads);
    }

    [Fact]
    public void ReadStable_FileLockedOnce_RetriesAndNeedsTwoAgreeingReadsAfterIt()
    {
        var script = new Queue<Func<string>>([() => "a", () => throw new IOException("locked"), () => "a", () => "a"]);
        var retried = new List<string>();

        var text = UserStore.ReadStable(() => script.Dequeue()(), () => { }, maxReads: 10, e => retried.Add(e.Message));

        Assert.Equal("a", text);
        Assert.Equal(["locked"], retried);
        Assert.Empty(script);
    }

    [Fact]
    public void ReadStable_LockedOnEveryRead_ThrowsTheLastError()
    {
        Assert.Throws<IOException>(() => UserStore.ReadStable(() => throw new IOException("locked"), () => { }, maxReads: 3));
    }
}
