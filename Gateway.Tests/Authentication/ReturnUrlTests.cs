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
    [InlineData("/café")]
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
