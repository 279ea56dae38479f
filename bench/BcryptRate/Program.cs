// Usage: BcryptRate <htpasswd hash> <password> <threads> <seconds>
// Verifies the password against the hash in a loop on N threads for a bounded time (plus one warm-up call per
// thread) and prints "BCRYPT <verifications per second>".
using System.Diagnostics;

if (args.Length != 4)
{
    Console.Error.WriteLine("usage: BcryptRate <hash> <password> <threads> <seconds>");
    return 2;
}
var (hash, password) = (args[0], args[1]);
var threads = int.Parse(args[2]);
var duration = TimeSpan.FromSeconds(double.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture));
if (!BCrypt.Net.BCrypt.Verify(password, hash))
{
    Console.Error.WriteLine("the password does not match the hash");
    return 1;
}

var counts = new long[threads];
using var start = new Barrier(threads + 1);
var workers = Enumerable.Range(0, threads).Select(i => new Thread(() =>
{
    BCrypt.Net.BCrypt.Verify(password, hash);
    start.SignalAndWait();
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed < duration)
    {
        BCrypt.Net.BCrypt.Verify(password, hash);
        counts[i]++;
    }
}) { IsBackground = true }).ToList();
workers.ForEach(t => t.Start());
start.SignalAndWait();
var total = Stopwatch.StartNew();
workers.ForEach(t => t.Join());
Console.WriteLine(FormattableString.Invariant($"BCRYPT {counts.Sum() / total.Elapsed.TotalSeconds:F1}"));
return 0;
