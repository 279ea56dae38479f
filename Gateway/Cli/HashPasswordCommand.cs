using System.CommandLine;
using System.Text;
using Gateway.Users;

namespace Gateway.Cli;

/// <summary><c>hash-password [--user NAME] [--cost N]</c>: bcrypt a password read from standard input (or prompted).</summary>
internal static class HashPasswordCommand
{
    public static Command Create(CliContext context)
    {
        var user = new Option<string>("--user") { Description = "Print an htpasswd line for this user instead of the bare hash", HelpName = "NAME" };
        var cost = new Option<int>("--cost")
        {
            Description = "bcrypt cost, 4 to 31",
            HelpName = "N",
            DefaultValueFactory = _ => 10,
            CustomParser = result =>
            {
                // Parsed here rather than validated after: the stock conversion of "abc" would throw from a validator.
                if (int.TryParse(result.Tokens[0].Value, System.Globalization.CultureInfo.InvariantCulture, out var value) && value is >= 4 and <= 31)
                {
                    return value;
                }
                result.AddError($"--cost must be a whole number between 4 and 31 (got '{result.Tokens[0].Value}').");
                return 0;
            },
        };
        user.Validators.Add(result =>
        {
            if (!HtpasswdParser.IsValidUserName(result.GetValueOrDefault<string>() ?? ""))
            {
                result.AddError("User names are printable ASCII without ':' or surrounding spaces.");
            }
        });
        var command = new Command("hash-password", "bcrypt a password read from standard input (or prompted); prints an htpasswd line with --user, else the hash")
        {
            user,
            cost,
        };
        command.SetAction(parsed => Run(context, parsed.GetValue(user), parsed.GetValue(cost)));
        return command;
    }

    private static int Run(CliContext context, string? user, int cost)
    {
        var error = context.Error;
        if (context.Overrides.Length > 0)
        {
            error.WriteLine($"hash-password reads no configuration: unexpected '{context.Overrides[0]}'.");
            return GatewayCli.UsageError;
        }
        var password = Console.IsInputRedirected || context.Input != Console.In ? context.Input.ReadLine() : Prompt(error);
        if (string.IsNullOrEmpty(password))
        {
            error.WriteLine("No password given.");
            return GatewayCli.UsageError;
        }
        if (Encoding.UTF8.GetByteCount(password) > PasswordVerifier.MaxPasswordBytes)
        {
            error.WriteLine($"Passwords longer than {PasswordVerifier.MaxPasswordBytes} bytes are refused (bcrypt ignores the rest).");
            return GatewayCli.UsageError;
        }
        var hash = BCrypt.Net.BCrypt.HashPassword(password, BCrypt.Net.BCrypt.GenerateSalt(cost, 'y'));
        context.Output.WriteLine(user is null ? hash : $"{user}:{hash}");
        return 0;
    }

    private static string Prompt(TextWriter error)
    {
        error.Write("Password: ");
        var password = new StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace && password.Length > 0)
            {
                password.Length--;
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }
        error.WriteLine();
        return password.ToString();
    }
}
