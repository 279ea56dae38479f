using Gateway.Sessions;
using Microsoft.Extensions.Primitives;

namespace Gateway.Tests.Sessions;

public sealed class CookieHeaderTests
{
    [Theory]
    [InlineData("sid=abc", 1, "abc")]
    [InlineData("a=1; sid=abc; b=2", 1, "abc")]
    [InlineData("a=1;sid=abc;b=2", 1, "abc")]
    [InlineData("  sid  =  abc  ", 1, "abc")]
    [InlineData(";; sid=abc ;;", 1, "abc")]
    [InlineData("sid=\"abc\"", 1, "abc")]
    [InlineData("sid=abc; sid=def", 2, "abc")]
    [InlineData("sid=; sid=def", 2, "")]
    [InlineData("sid", 1, "")]
    [InlineData("SID=abc", 0, null)]
    [InlineData("Sid=abc; sid-logout=1; sidx=2; xsid=3; s id=4", 0, null)]
    [InlineData("a=sid; b=sid=x", 0, null)]
    [InlineData("sid=a=b", 1, "a=b")]
    [InlineData("", 0, null)]
    public void Find_OneHeaderLine_CountsExactNameMatches(string header, int count, string? value)
    {
        var found = CookieHeader.Find(new StringValues(header), "sid");

        Assert.Equal(count, found.Count);
        Assert.Equal(value, found.Value);
    }

    [Fact]
    public void Find_SeveralHeaderLines_CountsAcrossAllAndReturnsFirstValue()
    {
        var headers = new StringValues(["a=1", "sid=first; b=2", "c=3; sid=second", "sid=third"]);

        var (count, value) = CookieHeader.Find(headers, "sid");

        Assert.Equal(3, count);
        Assert.Equal("first", value);
    }

    [Fact]
    public void Find_NoHeaders_ReturnsZero()
    {
        Assert.Equal((0, (string?)null), CookieHeader.Find(StringValues.Empty, "sid"));
    }

    [Fact]
    public void Find_NullHeaderLine_IsSkipped()
    {
        var headers = new StringValues([null, "sid=x"]);

        Assert.Equal((1, "x"), CookieHeader.Find(headers, "sid"));
    }

    [Fact]
    public void Find_HostPrefixedName_MatchesExactly()
    {
        var headers = new StringValues("sid=plain; __Host-sid=prefixed; __host-sid=lower");

        Assert.Equal((1, "prefixed"), CookieHeader.Find(headers, "__Host-sid"));
    }

    [Theory]
    [InlineData("a=1; sid=x; b=2", "a=1; b=2")]
    [InlineData("sid=x; a=1; b=2", "a=1; b=2")]
    [InlineData("a=1; b=2; sid=x", "a=1; b=2")]
    [InlineData("b=2; sid=x; a=1; sid=y; c=3", "b=2; a=1; c=3")]
    [InlineData("a=1;sid=x;;b=2", "a=1; b=2")]
    [InlineData("  a=1 ;  sid = x ; b=\"2\" ", "a=1; b=\"2\"")]
    [InlineData("a=1; sid", "a=1")]
    [InlineData("a=sid; sid=a", "a=sid")]
    public void Remove_SelectedPairs_KeepsOthersInOrder(string header, string expected)
    {
        Assert.Equal(expected, CookieHeader.Remove(header, name => name.SequenceEqual("sid")));
    }

    [Theory]
    [InlineData("sid=x")]
    [InlineData("sid=x; sid=y")]
    [InlineData(" sid=x ; ; ")]
    public void Remove_EverythingSelected_ReturnsNull(string header)
    {
        Assert.Null(CookieHeader.Remove(header, name => name.SequenceEqual("sid")));
    }

    [Theory]
    [InlineData("a=1; b=2")]
    [InlineData("a=1;b=2;;  c=3 ")]
    [InlineData("SID=x; sidx=y")]
    [InlineData("")]
    public void Remove_NothingSelected_ReturnsOriginalString(string header)
    {
        var result = CookieHeader.Remove(header, name => name.SequenceEqual("sid"));

        Assert.Same(header, result);
    }

    [Fact]
    public void Remove_Predicate_SeesTrimmedNamesOnly()
    {
        var seen = new List<string>();

        CookieHeader.Remove(" a = 1 ;b=2; flag ; =v", name =>
        {
            seen.Add(name.ToString());
            return false;
        });

        Assert.Equal(["a", "b", "flag", ""], seen);
    }

    [Fact]
    public void Remove_ThenFind_NoLongerFindsTheCookie()
    {
        const string header = "a=1; sid=x; b=2; sid=y";

        var stripped = CookieHeader.Remove(header, name => name.SequenceEqual("sid"));

        Assert.Equal(0, CookieHeader.Find(new StringValues(stripped), "sid").Count);
        Assert.Equal(1, CookieHeader.Find(new StringValues(stripped), "a").Count);
    }
}
