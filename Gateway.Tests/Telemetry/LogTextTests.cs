using Gateway.Telemetry;

namespace Gateway.Tests.Telemetry;

public sealed class LogTextTests
{
    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("mallory\r\u001b[2K audit created user=root", "mallory\\u000D\\u001B[2K audit created user=root")]
    [InlineData("a\nb\0c\u007fd\u009be", "a\\u000Ab\\u0000c\\u007Fd\\u009Be")]
    [InlineData("line\u2028sep\u202Eevil\u2066", "line\\u2028sep\\u202Eevil\\u2066")]
    [InlineData("café 日本 \U0001F600", "café 日本 \U0001F600")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64)", "Mozilla/5.0 (X11; Linux x86_64)")]
    public void Escape_RequestText_ControlCharactersEscapedRestKept(string value, string expected)
    {
        Assert.Equal(expected, LogText.Escape(value));
    }

    [Fact]
    public void Escape_LoneSurrogate_Escaped()
    {
        Assert.Equal("a\\uD800b", LogText.Escape("a" + (char)0xD800 + "b"));
    }

    [Fact]
    public void Escape_LongValue_CutWithMarkerBeforeEscaping()
    {
        var value = new string('x', LogText.MaxLength) + "\u001b" + new string('y', 1000);

        var escaped = LogText.Escape(value);

        Assert.Equal(new string('x', LogText.MaxLength) + "...[1001 more chars]", escaped);
    }

    [Fact]
    public void Cut_SurrogatePairAtTheEdge_NotSplit()
    {
        var value = new string('x', LogText.MaxLength - 1) + "\U0001F600" + "tail";

        Assert.Equal(new string('x', LogText.MaxLength - 1) + "...[6 more chars]", LogText.Cut(value));
    }

    [Fact]
    public void Escape_Null_Empty()
    {
        Assert.Equal("", LogText.Escape(null));
    }
}
