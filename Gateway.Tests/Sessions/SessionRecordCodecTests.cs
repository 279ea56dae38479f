using Gateway.Sessions;

namespace Gateway.Tests.Sessions;

public sealed class SessionRecordCodecTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_123);

    private static readonly SessionRecord Sample = new("alice", ["admin", "ops"], Now, Now.AddMinutes(5), Now.AddHours(12),
        "2001:db8::7", "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0.0.0 Safari/537.36", "AbCdEfGhIjKl", "form",
        Now.AddMinutes(1), Superseded: false, Persistent: true);

    [Fact]
    public void Decode_EncodedRecord_SameRecordBack()
    {
        var value = SessionRecordCodec.Encode(Sample, Now.AddMinutes(35));

        var back = SessionRecordCodec.Decode(value)!;

        Assert.Equal(Sample with { Roles = [] }, back with { Roles = [] });
        Assert.Equal(Sample.Roles, back.Roles);
        Assert.Equal(Now.AddMinutes(35), SessionRecordCodec.IdleExpiryOf(value));
    }

    [Fact]
    public void Encode_RememberSelector_OptionalSeventhTextOnlyWhenSet()
    {
        var linked = Sample with { RememberSelector = "AbCdEfGhIjKlMnOpQrStUv" };

        var plain = SessionRecordCodec.Encode(Sample, Now);
        var withSelector = SessionRecordCodec.Encode(linked, Now);

        Assert.Equal(plain.Length + 23, withSelector.Length);
        Assert.Equal("AbCdEfGhIjKlMnOpQrStUv", SessionRecordCodec.Decode(withSelector)!.RememberSelector);
        Assert.Equal("", SessionRecordCodec.Decode(plain)!.RememberSelector); // as written by a build without the field
        Assert.Equal(withSelector.Length, SessionRecordCodec.Encode(SessionRecordCodec.Decode(withSelector)!, Now).Length);
    }

    [Theory]
    [InlineData("", new string[0], "", "")]
    [InlineData("zoë 用户", new[] { "röle" }, "x", "ünïcode agent ☃")]
    public void Decode_EmptyAndNonAsciiTexts_RoundTrip(string user, string[] roles, string ip, string agent)
    {
        var record = Sample with { User = user, Roles = roles, ClientIp = ip, UserAgent = agent, Superseded = true, Persistent = false };

        var back = SessionRecordCodec.Decode(SessionRecordCodec.Encode(record, Now))!;

        Assert.Equal((user, ip, agent, true, false), (back.User, back.ClientIp, back.UserAgent, back.Superseded, back.Persistent));
        Assert.Equal(roles, back.Roles);
    }

    [Fact]
    public void Decode_LongUserAgent_TwoByteLengthRoundTrips()
    {
        var record = Sample with { UserAgent = new string('a', 256) };

        Assert.Equal(record.UserAgent, SessionRecordCodec.Decode(SessionRecordCodec.Encode(record, Now))!.UserAgent);
    }

    [Fact]
    public void Decode_TruncatedOrForeignValue_Null()
    {
        var value = SessionRecordCodec.Encode(Sample, Now);

        for (var length = 0; length < value.Length; length++)
        {
            Assert.Null(SessionRecordCodec.Decode(value.AsSpan(0, length)));
        }
        var otherVersion = (byte[])value.Clone();
        otherVersion[0] = 2;
        Assert.Null(SessionRecordCodec.Decode(otherVersion));
        Assert.Null(SessionRecordCodec.IdleExpiryOf(otherVersion));
    }

    [Fact]
    public void EncodeTouch_WrittenAtItsOffset_UpdatesLastSeenAndIdleExpiryOnly()
    {
        var value = SessionRecordCodec.Encode(Sample, Now.AddMinutes(35));

        SessionRecordCodec.EncodeTouch(Now.AddMinutes(9), Now.AddMinutes(39)).CopyTo(value, SessionRecordCodec.LastSeenOffset);

        var back = SessionRecordCodec.Decode(value)!;
        Assert.Equal(Now.AddMinutes(9), back.LastSeen);
        Assert.Equal(Now.AddMinutes(39), SessionRecordCodec.IdleExpiryOf(value));
        Assert.Equal((Sample.Created, Sample.AbsoluteExpiry, Sample.UserAgent), (back.Created, back.AbsoluteExpiry, back.UserAgent));
    }
}
