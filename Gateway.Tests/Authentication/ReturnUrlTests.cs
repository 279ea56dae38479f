using Gateway.Authentication;

namespace Gateway.Tests.Authentication;

public sealed class ReturnUrlTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/a/b")]
    [InlineData("/a/b?x=1&y=2")]
    [InlineData("/path#frag")]
    [InlineData("/a/b/")]
    [InlineData("/files/a%2Fb")]
    [InlineData("/a?next=%2F%2Fevil.com")]
    [InlineData("/a?next=//evil.com")]
    [InlineData("/100%")]
    public void IsLocal_LocalPath_ReturnsTrue(string url)
    {
        Assert.True(ReturnUrl.IsLocal(url));
        Assert.Equal(url, ReturnUrl.OrRoot(url));
    }

    [Theory]
    [InlineData("//evil.com")]
    [InlineData("///evil.com")]
    [InlineData("/\\evil.com")]
    [InlineData("\\\\evil.com")]
    [InlineData("https://evil.com")]
    [InlineData("HTTPS://evil.com/")]
    [InlineData("http:/x")]
    [InlineData("http:evil.com")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/%2F%2Fevil.com")]
    [InlineData("/%2f/evil.com")]
    [InlineData("/%5Cevil.com")]
    [InlineData("/%5cevil.com")]
    [InlineData("%2F%2Fevil")]
    [InlineData("/%252F%252Fevil")]
    [InlineData("/%25252F%25252Fevil")]
    [InlineData("/%255Cevil.com")]
    [InlineData(" /x")]
    [InlineData("/x ")]
    [InlineData("/x\r\nLocation: y")]
    [InlineData("/x%0d%0aLocation:%20y")]
    [InlineData("/\t/evil")]
    [InlineData("/%09/evil.com")]
    [InlineData("/x\0")]
    [InlineData("/x%00")]
    [InlineData("/\u3000/evil.com")]
    [InlineData("evil.com")]
    [InlineData("")]
    [InlineData(null)]
    public void IsLocal_NotALocalPath_ReturnsFalse(string? url)
    {
        Assert.False(ReturnUrl.IsLocal(url));
        Assert.Equal("/", ReturnUrl.OrRoot(url));
    }

    [Theory]
    [InlineData("/café", "/caf%C3%A9")]
    [InlineData("/caf%C3%A9", "/caf%C3%A9")]
    [InlineData("/a b?q=x y", "/a%20b?q=x%20y")]
    [InlineData("/日本?q=ü#top", "/%E6%97%A5%E6%9C%AC?q=%C3%BC#top")]
    [InlineData("/emoji\U0001F600", "/emoji%F0%9F%98%80")]
    [InlineData("/x?a=1&b=[2]:@!$'()*+,;=", "/x?a=1&b=[2]:@!$'()*+,;=")]
    [InlineData("/q\"<>^`{|}", "/q%22%3C%3E%5E%60%7B%7C%7D")]
    [InlineData("/ /evil.com", "/%20/evil.com")]
    public void OrRoot_TextAHeaderCannotCarry_PercentEncodedOrRoot(string url, string expected)
    {
        var result = ReturnUrl.OrRoot(url);

        Assert.Equal(expected, result);
        Assert.All(result, c => Assert.InRange(c, '!', '~'));
        Assert.Equal(result, ReturnUrl.OrRoot(result));
    }

    [Fact]
    public void OrRoot_LoneSurrogate_ReturnsRoot()
    {
        var url = "/lone" + (char)0xD800;

        Assert.Equal("/", ReturnUrl.OrRoot(url));
    }

    [Fact]
    public void OrRoot_EncodedLongerThanMaxLength_ReturnsRoot()
    {
        var url = "/" + new string('é', ReturnUrl.MaxLength / 4);

        Assert.True(ReturnUrl.IsLocal(url));
        Assert.Equal("/", ReturnUrl.OrRoot(url));
    }

    [Fact]
    public void IsLocal_LongerThanMaxLength_ReturnsFalse()
    {
        var url = "/" + new string('a', ReturnUrl.MaxLength);

        Assert.False(ReturnUrl.IsLocal(url));
        Assert.Equal("/", ReturnUrl.OrRoot(url));
    }

    [Fact]
    public void IsLocal_ExactlyMaxLength_ReturnsTrue()
    {
        var url = "/" + new string('a', ReturnUrl.MaxLength - 1);

        Assert.True(ReturnUrl.IsLocal(url));
    }

    [Theory]
    [InlineData("/a", "", "/a")]
    [InlineData("/a", "?x=1", "/a?x=1")]
    [InlineData("//evil.com", "", "/")]
    public void FromRequest_PathAndQuery_ReturnsLocalUrlOrRoot(string path, string query, string expected)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Path = path;
        context.Request.QueryString = new Microsoft.AspNetCore.Http.QueryString(query);

        Assert.Equal(expected, ReturnUrl.FromRequest(context.Request));
    }

    [Theory]
    [InlineData("/a/b?x=1&y=%20")]
    [InlineData("/search?q=hello%20world")]
    [InlineData("/docs/My%20File.pdf")]
    public void IsLocal_EncodedSpace_ReturnsTrue(string url)
    {
        Assert.True(ReturnUrl.IsLocal(url));
        Assert.Equal(url, ReturnUrl.OrRoot(url));
    }
}
