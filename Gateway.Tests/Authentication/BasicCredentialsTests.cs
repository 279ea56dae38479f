using System.Text;
using Gateway.Authentication;
using Microsoft.Extensions.Primitives;

namespace Gateway.Tests.Authentication;

public sealed class BasicCredentialsTests
{
    private static string Basic(string credentials) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials));

    private static string Basic(byte[] credentials) => "Basic " + Convert.ToBase64String(credentials);

    [Theory]
    [InlineData("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")]
    [InlineData("basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")]
    [InlineData("BASIC QWxhZGRpbjpvcGVuIHNlc2FtZQ==")]
    [InlineData("bAsIc QWxhZGRpbjpvcGVuIHNlc2FtZQ==")]
    [InlineData("Basic    QWxhZGRpbjpvcGVuIHNlc2FtZQ==")]
    [InlineData("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==  ")]
    public void Parse_Rfc7617Example_ReturnsAladdin(string header)
    {
        var result = BasicCredentials.Parse(header);

        Assert.Equal(BasicParseStatus.Ok, result.Status);
        Assert.Equal("Aladdin", result.User);
        Assert.Equal("open sesame", result.Password);
        Assert.Null(result.Reason);
    }

    [Theory]
    [InlineData("alice:a:b:c", "alice", "a:b:c")]
    [InlineData("alice::", "alice", ":")]
    [InlineData("alice:", "alice", "")]
    [InlineData("al ice:p w", "al ice", "p w")]
    [InlineData("jösé:pässwörd€", "jösé", "pässwörd€")]
    [InlineData("a:😀", "a", "😀")]
    public void Parse_ValidCredentials_SplitsAtFirstColon(string credentials, string user, string password)
    {
        var result = BasicCredentials.Parse(Basic(credentials));

        Assert.Equal(BasicParseStatus.Ok, result.Status);
        Assert.Equal(user, result.User);
        Assert.Equal(password, result.Password);
    }

    [Theory]
    [InlineData("alice")]
    [InlineData(":password")]
    [InlineData(":")]
    [InlineData("")]
    [InlineData("al\tice:pw")]
    [InlineData("alice:p\tw")]
    [InlineData("al\0ice:pw")]
    [InlineData("alice:pw\0")]
    [InlineData("alice:pw\u007F")]
    [InlineData("\u007Falice:pw")]
    [InlineData("alice:pw\r\nX-Auth-User: admin")]
    [InlineData("alice\n:pw")]
    [InlineData("alice:pw\u0085")]
    public void Parse_BadCredentialText_ReturnsMalformed(string credentials)
    {
        var result = BasicCredentials.Parse(Basic(credentials));

        Assert.Equal(BasicParseStatus.Malformed, result.Status);
        Assert.Equal("", result.User);
        Assert.Equal("", result.Password);
        Assert.False(string.IsNullOrEmpty(result.Reason));
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28, (byte)':', (byte)'p' })]
    [InlineData(new byte[] { (byte)'u', (byte)':', 0xFF })]
    [InlineData(new byte[] { (byte)'u', (byte)':', 0xC0, 0x80 })]
    [InlineData(new byte[] { (byte)'u', (byte)':', 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { (byte)'u', (byte)':', 0xE2, 0x82 })]
    public void Parse_InvalidUtf8_ReturnsMalformed(byte[] credentials)
    {
        var result = BasicCredentials.Parse(Basic(credentials));

        Assert.Equal(BasicParseStatus.Malformed, result.Status);
        Assert.Contains("UTF-8", result.Reason);
    }

    [Theory]
    [InlineData("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ")]
    [InlineData("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=")]
    [InlineData("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ===")]
    [InlineData("Basic QWxhZGRpbjpvcGVuIHNlc2FtZ===")]
    [InlineData("Basic QWxhZGRp bjpvcGVuIHNlc2FtZQ==")]
    [InlineData("Basic QWxhZGRpbjpv\tcGVuIHNlc2FtZQ==")]
    [InlineData("Basic QWxhZGRpbjpv\r\ncGVuIHNlc2FtZQ==")]
    [InlineData("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\t")]
    [InlineData("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==QQ==")]
    [InlineData("Basic QWxhZGRpbjpvcGVu=HNlc2FtZQ==")]
    [InlineData("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ*=")]
    [InlineData("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ-_")]
    [InlineData("Basic QR==")]
    [InlineData("Basic YWxpY2U6cHx=")]
    [InlineData("Basic ====")]
    [InlineData("Basic =")]
    [InlineData("Basic")]
    [InlineData("Basic ")]
    [InlineData("Basic     ")]
    public void Parse_NotStrictBase64_ReturnsMalformed(string header)
    {
        var result = BasicCredentials.Parse(header);

        Assert.Equal(BasicParseStatus.Malformed, result.Status);
        Assert.Equal("", result.User);
        Assert.Equal("", result.Password);
    }

    [Fact]
    public void Parse_TokenOneOverMaxLength_ReturnsTooLarge()
    {
        var token = new string('A', BasicCredentials.MaxEncodedLength + 4);

        var result = BasicCredentials.Parse("Basic " + token);

        Assert.Equal(BasicParseStatus.TooLarge, result.Status);
        Assert.Equal("", result.User);
    }

    [Fact]
    public void Parse_HugeHeader_ReturnsTooLarge()
    {
        var result = BasicCredentials.Parse(Basic("alice:" + new string('x', 100_000)));

        Assert.Equal(BasicParseStatus.TooLarge, result.Status);
    }

    [Fact]
    public void Parse_TokenOfExactlyMaxLength_IsAccepted()
    {
        // 3069 bytes of credentials encode to exactly 4092 characters; pad to 4096 with one more group.
        var credentials = "alice:" + new string('x', BasicCredentials.MaxEncodedLength / 4 * 3 - 6);
        var header = Basic(credentials);
        Assert.Equal(BasicCredentials.MaxEncodedLength, header.Length - "Basic ".Length);

        var result = BasicCredentials.Parse(header);

        Assert.Equal(BasicParseStatus.Ok, result.Status);
        Assert.Equal("alice", result.User);
        Assert.Equal(credentials[6..], result.Password);
    }

    [Theory]
    [InlineData("Bearer eyJhbGciOiJIUzI1NiJ9.e30.x")]
    [InlineData("Digest username=\"alice\"")]
    [InlineData("Basicfoo QWxhZGRpbjpvcGVuIHNlc2FtZQ==")]
    [InlineData("BasicQWxhZGRpbjpvcGVuIHNlc2FtZQ==")]
    [InlineData("Basic\tQWxhZGRpbjpvcGVuIHNlc2FtZQ==")]
    [InlineData("Negotiate YIIB")]
    [InlineData("Bas")]
    public void Parse_OtherScheme_ReturnsOtherScheme(string header)
    {
        var result = BasicCredentials.Parse(header);

        Assert.Equal(BasicParseStatus.OtherScheme, result.Status);
        Assert.Equal("", result.User);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Parse_BlankHeader_ReturnsAbsent(string header)
    {
        Assert.Equal(BasicParseStatus.Absent, BasicCredentials.Parse(header).Status);
    }

    [Fact]
    public void Parse_NoAuthorizationHeader_ReturnsAbsent()
    {
        Assert.Equal(BasicParseStatus.Absent, BasicCredentials.Parse(StringValues.Empty).Status);
    }

    [Fact]
    public void Parse_OneHeaderValue_ParsesIt()
    {
        var result = BasicCredentials.Parse(new StringValues("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="));

        Assert.Equal(BasicParseStatus.Ok, result.Status);
        Assert.Equal("Aladdin", result.User);
    }

    [Theory]
    [InlineData("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", "Bearer abc")]
    [InlineData("Bearer abc", "basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")]
    [InlineData("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")]
    [InlineData("Basic YTpi", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")]
    public void Parse_TwoHeadersOneBasic_ReturnsMalformed(string first, string second)
    {
        var result = BasicCredentials.Parse(new StringValues([first, second]));

        Assert.Equal(BasicParseStatus.Malformed, result.Status);
        Assert.Equal("", result.User);
        Assert.Equal("", result.Password);
    }

    [Fact]
    public void Parse_TwoHeadersNoneBasic_ReturnsOtherScheme()
    {
        var result = BasicCredentials.Parse(new StringValues(["Bearer a", "Bearer b"]));

        Assert.Equal(BasicParseStatus.OtherScheme, result.Status);
    }
}
