using System.Globalization;
using RemoteWrite.Hosting.Admission;

namespace RemoteWrite.Hosting.Status;

/// <summary>What the admission budget holds now: the requests being prepared or delivered and their bytes (the relay's only queue).</summary>
public sealed class InFlightStatusSection(InFlightBudget budget) : IStatusSection
{
    public string Title => "In flight";

    public IEnumerable<(string Name, string Value)> Rows()
    {
        yield return ("requests being prepared or delivered", budget.HeldRequests.ToString(CultureInfo.InvariantCulture));
        yield return ("bytes they hold", budget.HeldBytes.ToString("N0", CultureInfo.InvariantCulture));
    }
}
