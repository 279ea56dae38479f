using System.Text;
using Gateway.Configuration;
using Gateway.Tests.Fixtures;
using Gateway.Users;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Tests.Users;

public sealed class PasswordVerifierTests : IDisposable
{
    // Exactly 72 UTF-8 bytes: 69 ASCII characters and a 3-byte euro sign.
    private static readonly string Password72 = new string('p', 69) + "€";

    private readonly TempHtpasswd _file = TempHtpasswd.Create(("alice", "correct horse"), ("long", Password72));
    private readonly PasswordVerifier _verifier;

    public PasswordVerifierTests() =>
        _verifier = new PasswordVerifier(_file.Users, new TestOptionsMonitor<GatewayOptions>(new GatewayOptions()), TimeProvider.System, NullLogger<PasswordVerifier>.Instance);

    public void Dispose()
    {
        _verifier.Dispose();
        _file.Dispose();
    }

    [Fact]
    public async Task VerifyAsync_RightPassword_ReturnsUser()
    {
        var check = await _verifier.VerifyAsync("alice", "correct horse", CancellationToken.None);

        Assert.Equal(PasswordFailure.None, check.Failure);
        Assert.Equal("alice", check.User?.Name);
    }

    [Theory]
    [InlineData("wrong")]
    [InlineData("")]
    [InlineData("Correct horse")]
    [InlineData("correct horse ")]
    [InlineData("correct hors")]
    public async Task VerifyAsync_WrongPassword_ReturnsWrongPassword(string password)
    {
        var check = await _verifier.VerifyAsync("alice", password, CancellationToken.None);

        Assert.Equal(PasswordFailure.WrongPassword, check.Failure);
        Assert.Null(check.User);
    }

    [Theory]
    [InlineData("mallory")]
    [InlineData("Alice")]
    [InlineData("")]
    public async Task VerifyAsync_UnknownUser_ReturnsUnknownUser(string user)
    {
        var check = await _verifier.VerifyAsync(user, "correct horse", CancellationToken.None);

        Assert.Equal(PasswordFailure.UnknownUser, check.Failure);
        Assert.Null(check.User);
    }

    [Fact]
    public async Task VerifyAsync_PasswordOf72Bytes_ReturnsUser()
    {
        Assert.Equal(PasswordVerifier.MaxPasswordBytes, Encoding.UTF8.GetByteCount(Password72));

        var check = await _verifier.VerifyAsync("long", Password72, CancellationToken.None);

        Assert.Equal(PasswordFailure.None, check.Failure);
        Assert.Equal("long", check.User?.Name);
    }

    [Fact]
    public async Task VerifyAsync_72BytesDifferingInLastByte_ReturnsWrongPassword()
    {
        var check = await _verifier.VerifyAsync("long", new string('p', 69) + "₤", CancellationToken.None);

        Assert.Equal(PasswordFailure.WrongPassword, check.Failure);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("€")]
    [InlineData("anything after the 72 bytes bcrypt reads")]
    public async Task VerifyAsync_RealPasswordPlusMoreBytes_ReturnsTooLongNeverUser(string suffix)
    {
        // bcrypt alone would accept this: it reads only the first 72 bytes, which equal the real password.
        var candidate = Password72 + suffix;
        Assert.True(BCrypt.Net.BCrypt.Verify(candidate, _file.Users.Find("long")!.Hash));

        var check = await _verifier.VerifyAsync("long", candidate, CancellationToken.None);

        Assert.Equal(PasswordFailure.TooLong, check.Failure);
        Assert.Null(check.User);
    }

    [Fact]
    public async Task VerifyAsync_72CharactersOf73Bytes_ReturnsTooLong()
    {
        var candidate = new string('p', 70) + "é" + "x";
        Assert.Equal(72, candidate.Length);
        Assert.Equal(73, Encoding.UTF8.GetByteCount(candidate));

        var check = await _verifier.VerifyAsync("long", candidate, CancellationToken.None);

        Assert.Equal(PasswordFailure.TooLong, check.Failure);
    }

    [Fact]
    public async Task VerifyAsync_UnknownUserWithLongPassword_ReturnsUnknownUser()
    {
        var check = await _verifier.VerifyAsync("mallory", new string('x', 200), CancellationToken.None);

        Assert.Equal(PasswordFailure.UnknownUser, check.Failure);
    }

    [Fact]
    public async Task VerifyAsync_CanceledToken_ThrowsOperationCanceled()
    {
        using var canceled = new CancellationTokenSource();
        canceled.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _verifier.VerifyAsync("alice", "correct horse", canceled.Token));
    }

    [Fact]
    public async Task HashingThreads_RunAtLowerPriority_NoOtherThreadInheritsIt()
    {
        // Parallel checks whose continuations hold their threads, with room in the pool for more threads: the pool
        // adds workers from the thread that queues the continuations. None may be created by (and so inherit the
        // priority of) a hashing thread.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(workers + 64, io);
        try
        {
            var checks = await Task.WhenAll(Enumerable.Range(0, 64).Select(async _ =>
            {
                var check = await _verifier.VerifyAsync("alice", "correct horse", CancellationToken.None);
                Thread.Sleep(100);
                return check;
            }));
            Assert.All(checks, check => Assert.Equal(PasswordFailure.None, check.Failure));
        }
        finally
        {
            ThreadPool.SetMinThreads(workers, io);
        }
        await Eventually.WithinAsync(() => !_verifier.WorkerPriority.Any(n => n is null) && _verifier.FloorPriority is not null,
            TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(10));

        Assert.Equal(Environment.ProcessorCount, _verifier.WorkerPriority.Count);
        Assert.All(_verifier.WorkerPriority, p => Assert.Equal(HashingPriority.IdlePolicy, p!.Value.Policy));
        // The floor thread (PasswordVerifierQueueTests) keeps the normal priority on purpose.
        Assert.Equal((0, 0), _verifier.FloorPriority);
        var others = Directory.GetDirectories("/proc/self/task")
            .Select(task => (Name: ReadOrNull(Path.Combine(task, "comm"))?.Trim(), Stat: ReadOrNull(Path.Combine(task, "stat"))))
            .Where(t => t.Name is not null && t.Stat is not null && !t.Name.StartsWith("bcrypt-", StringComparison.Ordinal))
            .Select(t => (t.Name, Priority: HashingPriority.Of(t.Stat!)))
            .ToList();
        Assert.NotEmpty(others);
        Assert.All(others, t => Assert.True(t.Priority == (0, 0), $"thread {t.Name} runs with policy {t.Priority.Policy}, nice {t.Priority.Nice}"));
    }

    // A thread may end between listing and reading.
    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
    }

    [Fact]
    public void DummyHash_OfCost4File_IsCost4Bcrypt()
    {
        // Unknown users must cost the same as known ones: the dummy follows the file's usual cost.
        Assert.StartsWith("$2", _file.Users.DummyHash);
        Assert.Equal("04", _file.Users.DummyHash[4..6]);
    }
}
