using RemoteWrite.Core.Errors;
using RemoteWrite.Fuzz;
using SharpFuzz;

// Usage: RemoteWrite.Fuzz <target>               under afl-fuzz: inputs come from AFL (run.sh)
//        RemoteWrite.Fuzz <target> <file>...     runs files once (reproduces a crash AFL saved)
//        RemoteWrite.Fuzz seeds <directory>      writes a seed corpus per target into <directory>/<target>
if (args.Length == 2 && args[0] == "seeds")
{
    Seeds.Write(args[1]);
    return 0;
}

if (args.Length == 0 || !Targets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: RemoteWrite.Fuzz <{string.Join('|', Targets.All.Keys)}> [file...] | seeds <directory>");
    return 2;
}

if (args.Length > 1)
{
    foreach (var file in args.AsSpan(1))
    {
        // Reproducing: say what the product answered; a crash throws from here.
        try
        {
            target(File.ReadAllBytes(file));
            Console.WriteLine($"{file}: accepted");
        }
        catch (RemoteWriteException e)
        {
            Console.WriteLine($"{file}: refused with {e.StatusCode}: {e.Message}");
        }
    }

    return 0;
}

// Out of process: a stack overflow or a corrupted state in the child is still reported as a crash.
var input = new MemoryStream();
Fuzzer.OutOfProcess.Run(stream =>
{
    input.SetLength(0);
    stream.CopyTo(input);
    Targets.Guarded(target, input.GetBuffer().AsSpan(0, (int)input.Length));
});
return 0;
