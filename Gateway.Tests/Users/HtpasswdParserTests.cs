using System.Text.RegularExpressions;
using Gateway.Tests.Fixtures;
using Gateway.Users;

namespace Gateway.Tests.Users;

public sealed class HtpasswdParserTests
{
    // One real cost-4 hash, respelled per prefix: the parser checks shape, not the password.
    private static readonly string Bcrypt = BCrypt.Net.BCrypt.HashPassword("pw", 4);

    private static string WithPrefix(string prefix) => prefix + Bcrypt[4..];

    private static void AssertProblemAt(HtpasswdParseResult result, int line) =>
        Assert.Contains(result.Problems, p => Regex.IsMatch(p, $@"^line {line}\b"));

    [Theory]
    [InlineData("$2y$")]
    [InlineData("$2b$")]
    [InlineData("$2a$")]
    public void Parse_BcryptLine_LoadsUser(string prefix)
    {
        var hash = WithPrefix(prefix);

        var result = HtpasswdParser.Parse($"alice:{hash}\n");

        var user = Assert.Single(result.Users).Value;
        Assert.Equal("alice", user.Name);
        Assert.Equal(hash, user.Hash);
        Assert.Equal(4, user.Cost);
        Assert.Empty(result.Problems);
    }

    [Fact]
    public void Parse_HashFromHtpasswdFixture_VerifiesWithBcrypt()
    {
        var result = HtpasswdParser.Parse($"alice:{TempHtpasswd.Hash("secret")}");

        Assert.True(BCrypt.Net.BCrypt.Verify("secret", result.Users["alice"].Hash));
    }

    [Theory]
    [InlineData("plaintext", "plain-text")]
    [InlineData("{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", "{SHA}")]
    [InlineData("$apr1$xyz12345$Lq3vHkzYQ8m3ZR.wZ0Gx/1", "MD5")]
    [InlineData("$1$xyz12345$Lq3vHkzYQ8m3ZR.wZ0Gx/1", "MD5")]
    [InlineData("abJnggxhB/yWI", "DES")]
    [InlineData("", "plain-text")]
    [InlineData("$5$rounds=5000$salt$hash", "bcrypt")]
    [InlineData("$2x$04$abcdefghijklmnopqrstuuMpdV0Ss0wsKq2MJJmS2jLW4Pn6yfxRa", "bcrypt")]
    public void Parse_UnsafeHash_RefusesLineWithReason(string hash, string reasonMentions)
    {
        var result = HtpasswdParser.Parse($"bob:{hash}");

        Assert.Empty(result.Users);
        var problem = Assert.Single(result.Problems);
        Assert.Matches(@"^line 1\b", problem);
        Assert.Contains("bob", problem);
        Assert.Contains(reasonMentions, problem);
    }

    [Theory]
    [InlineData(-1, "")]
    [InlineData(-10, "")]
    [InlineData(0, " ")]
    [InlineData(0, "x")]
    [InlineData(0, "\t")]
    public void Parse_WrongLengthBcrypt_RefusesLine(int cut, string append)
    {
        var hash = Bcrypt[..(Bcrypt.Length + cut)] + append;

        var result = HtpasswdParser.Parse($"bob:{hash}");

        Assert.Empty(result.Users);
        AssertProblemAt(result, 1);
    }

    [Theory]
    [InlineData("00")]
    [InlineData("03")]
    [InlineData("32")]
    [InlineData("99")]
    [InlineData("4$")]
    [InlineData("x4")]
    [InlineData("-4")]
    public void Parse_BadBcryptCost_RefusesLine(string cost)
    {
        var hash = "$2y$" + cost + Bcrypt[6..];

        var result = HtpasswdParser.Parse($"bob:{hash}");

        Assert.Empty(result.Users);
        AssertProblemAt(result, 1);
    }

    [Theory]
    [InlineData("04")]
    [InlineData("10")]
    [InlineData("31")]
    public void Parse_BcryptCostInRange_LoadsUser(string cost)
    {
        var result = HtpasswdParser.Parse($"bob:$2y${cost}{Bcrypt[6..]}");

        Assert.Equal(int.Parse(cost), Assert.Single(result.Users).Value.Cost);
    }

    [Fact]
    public void Parse_BcryptWithCharacterOutsideAlphabet_RefusesLine()
    {
        var hash = Bcrypt[..20] + "+" + Bcrypt[21..];

        var result = HtpasswdParser.Parse($"bob:{hash}");

        Assert.Empty(result.Users);
        AssertProblemAt(result, 1);
    }

    [Fact]
    public void Parse_CommentsBlankLinesAndCrlf_LoadsEveryUser()
    {
        var text = $"# users\r\n\r\n   \r\nalice:{Bcrypt}\r\n  # indented comment\r\n\t\r\n#carol:{Bcrypt}\r\nbob:{Bcrypt}\r\n";

        var result = HtpasswdParser.Parse(text);

        Assert.Equal(["alice", "bob"], result.Users.Keys.Order());
        Assert.Equal(Bcrypt, result.Users["bob"].Hash);
        Assert.Empty(result.Problems);
    }

    [Fact]
    public void Parse_LastLineWithoutNewline_LoadsUser()
    {
        var result = HtpasswdParser.Parse($"alice:{Bcrypt}\nbob:{Bcrypt}");

        Assert.Equal(2, result.Users.Count);
    }

    [Fact]
    public void Parse_EmptyText_ReturnsNoUsersNoProblems()
    {
        var result = HtpasswdParser.Parse("");

        Assert.Empty(result.Users);
        Assert.Empty(result.Problems);
    }

    [Fact]
    public void Parse_DuplicateUser_FirstWinsAndProblemReported()
    {
        var second = BCrypt.Net.BCrypt.HashPassword("other", 4);

        var result = HtpasswdParser.Parse($"alice:{Bcrypt}\n# c\nalice:{second}\n");

        Assert.Equal(Bcrypt, Assert.Single(result.Users).Value.Hash);
        var problem = Assert.Single(result.Problems);
        Assert.Matches(@"^line 3\b", problem);
        Assert.Contains("alice", problem);
    }

    [Theory]
    [InlineData("jösé")]
    [InlineData(" alice")]
    [InlineData("alice ")]
    [InlineData("al\tice")]
    [InlineData("")]
    [InlineData("al\u007Fice")]
    public void Parse_InvalidUserName_RefusesLine(string name)
    {
        var result = HtpasswdParser.Parse($"ok:{Bcrypt}\n{name}:{Bcrypt}\n");

        Assert.Equal("ok", Assert.Single(result.Users).Key);
        Assert.Single(result.Problems);
        AssertProblemAt(result, 2);
    }

    [Fact]
    public void Parse_UserNameOf257Characters_RefusesLine()
    {
        var result = HtpasswdParser.Parse($"{new string('a', 257)}:{Bcrypt}");

        Assert.Empty(result.Users);
        AssertProblemAt(result, 1);
    }

    [Fact]
    public void Parse_UserNameOf256Characters_LoadsUser()
    {
        var result = HtpasswdParser.Parse($"{new string('a', 256)}:{Bcrypt}");

        Assert.Single(result.Users);
    }

    [Fact]
    public void Parse_LineWithoutColon_RefusesLine()
    {
        var result = HtpasswdParser.Parse($"alice:{Bcrypt}\njustaname\n");

        Assert.Single(result.Users);
        AssertProblemAt(result, 2);
    }

    [Fact]
    public void Parse_MixedFile_LoadsGoodLinesAndReportsEachBadLineByNumber()
    {
        var text = string.Join('\n',
            $"alice:{Bcrypt}",                  // 1
            "bob:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", // 2
            "# comment",                        // 3
            "carol:secret",                     // 4
            $"dave:{WithPrefix("$2b$")}",       // 5
            "erin:$apr1$xyz12345$Lq3vHkzYQ8m3ZR.wZ0Gx/1", // 6
            $"frank:{Bcrypt[..50]}",            // 7
            $"alice:{WithPrefix("$2a$")}",      // 8
            $"gré:{Bcrypt}",                    // 9
            "",                                 // 10
            $"heidi:{WithPrefix("$2a$")}");     // 11

        var result = HtpasswdParser.Parse(text);

        Assert.Equal(["alice", "dave", "heidi"], result.Users.Keys.Order());
        Assert.Equal(Bcrypt, result.Users["alice"].Hash);
        Assert.Equal(6, result.Problems.Count);
        foreach (var line in new[] { 2, 4, 6, 7, 8, 9 })
        {
            AssertProblemAt(result, line);
        }
    }

    [Fact]
    public void Parse_RefusedLine_NeverEchoesTheSecret()
    {
        var result = HtpasswdParser.Parse("bob:hunter2-plaintext");

        Assert.DoesNotContain("hunter2", Assert.Single(result.Problems));
    }

    [Theory]
    [InlineData("alice", true)]
    [InlineData("a.b-c_d@example.com", true)]
    [InlineData("with space", true)]
    [InlineData("~!", true)]
    [InlineData("", false)]
    [InlineData(" a", false)]
    [InlineData("a ", false)]
    [InlineData("a:b", false)]
    [InlineData("ä", false)]
    [InlineData("a\nb", false)]
    public void IsValidUserName_Table_ReturnsExpected(string name, bool valid)
    {
        Assert.Equal(valid, HtpasswdParser.IsValidUserName(name));
    }
}
