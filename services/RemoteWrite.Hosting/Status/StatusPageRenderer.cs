using System.Globalization;
using System.Net;
using System.Text;
using RemoteWrite.Core.Azure.Status;
using RemoteWrite.Core.Filters;
using RemoteWrite.Core.Identity;
using RemoteWrite.Core.Limits;

namespace RemoteWrite.Hosting.Status;

/// <summary>
/// The status page as one server-rendered HTML document that reloads itself every
/// <see cref="RefreshSeconds"/> seconds: points per second in and out, drops by reason, the token's
/// state and expiry (never the token), each destination's volume against its workspace's limits,
/// each ingestion endpoint's last success and last errors with Azure's reason, and the service's own
/// sections. Every dynamic string is HTML-encoded. Not on the hot path: built per page view.
/// </summary>
public static class StatusPageRenderer
{
    public const int RefreshSeconds = 5;

    /// <summary>A share of a limit from which the page marks a figure as near it (Azure's guidance: alert at 80 %).</summary>
    public const double WarnShare = 0.8;

    public static string Render(string service, IngestionStatus status, ITokenStatus? token, WorkspaceLimits limits, IEnumerable<IStatusSection> sections, DateTimeOffset now)
    {
        var html = new StringBuilder(8 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta http-equiv=\"refresh\" content=\"").Append(RefreshSeconds).Append("\">")
            .Append("<title>").Append(E(service)).Append(" status</title><style>")
            .Append("body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.6em}")
            .Append("table{border-collapse:collapse;margin:.4em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}")
            .Append("th{background:#f3f3f3}.num{text-align:right;font-variant-numeric:tabular-nums}.bad{color:#b00020;font-weight:600}.warn{color:#a65e00;font-weight:600}.ok{color:#1b5e20;font-weight:600}.muted{color:#777}")
            .Append("</style></head><body>\n");
        html.Append("<h1>").Append(E(service)).Append(" status</h1>")
            .Append("<p class=\"muted\">").Append(E(Time(now))).Append(" · up ").Append(E(Ago(now - status.Started)))
            .Append(" · refreshes every ").Append(RefreshSeconds).Append(" s · <a href=\"/metrics\">/metrics</a> · <a href=\"/ready\">/ready</a></p>\n");

        Flow(html, status);
        Token(html, token, now);
        Volume(html, status, limits);
        Endpoints(html, status, now);
        Drops(html, status);
        foreach (var section in sections)
        {
            Section(html, section);
        }

        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void Flow(StringBuilder html, IngestionStatus status)
    {
        html.Append("<h2>Flow</h2><table id=\"flow\"><tr><th></th><th>per second (last minute)</th><th>total</th></tr>")
            .Append("<tr><td>samples in</td><td class=\"num\" id=\"in-rate\">").Append(E(Rate(status.Received.PerSecond())))
            .Append("</td><td class=\"num\" id=\"in-total\">").Append(E(N(status.Received.Total))).Append("</td></tr>")
            .Append("<tr><td>samples out (accepted by Azure)</td><td class=\"num\" id=\"out-rate\">").Append(E(Rate(status.Sent.PerSecond())))
            .Append("</td><td class=\"num\" id=\"out-total\">").Append(E(N(status.Sent.Total))).Append("</td></tr></table>\n");
    }

    private static void Token(StringBuilder html, ITokenStatus? token, DateTimeOffset now)
    {
        html.Append("<h2>Entra ID token</h2><table id=\"token\">");
        if (token is null)
        {
            html.Append("<tr><td>state</td><td class=\"muted\">this service holds no token</td></tr></table>\n");
            return;
        }

        var state = token.HasToken ? "<span class=\"ok\">held</span>" : "<span class=\"bad\">none</span>";
        html.Append("<tr><td>state</td><td id=\"token-state\">").Append(state).Append("</td></tr>");
        if (token.ExpiresOn is { } expires)
        {
            html.Append("<tr><td>expires</td><td id=\"token-expiry\">").Append(E(Time(expires))).Append(" (")
                .Append(E(expires > now ? "in " + Ago(expires - now) : "expired " + Ago(now - expires) + " ago")).Append(")</td></tr>");
        }

        if (token.LastError is { } error)
        {
            html.Append("<tr><td>last error</td><td class=\"bad\" id=\"token-error\">").Append(E(error)).Append("</td></tr>");
        }

        html.Append("</table>\n");
    }

    private static void Volume(StringBuilder html, IngestionStatus status, WorkspaceLimits limits)
    {
        html.Append("<h2>Volume against the workspace limits</h2><table id=\"volume\"><tr><th>destination</th><th>events per minute</th><th>limit</th><th>active series (12 h, estimate)</th><th>limit</th></tr>");
        foreach (var destination in status.Destinations())
        {
            var events = destination.Accepted.LastMinute();
            html.Append("<tr><td>").Append(E(destination.Name)).Append("</td><td class=\"num ").Append(Level(events, limits.EventsPerMinute)).Append("\">")
                .Append(E(N(events))).Append(" (").Append(E(Share(events, limits.EventsPerMinute))).Append(")</td><td class=\"num\">")
                .Append(E(N(limits.EventsPerMinute))).Append("</td>");
            if (destination.SeriesMeasured)
            {
                var series = destination.ActiveSeries.Estimate();
                html.Append("<td class=\"num ").Append(Level(series, limits.ActiveSeries)).Append("\">").Append(E(N(series))).Append(" (")
                    .Append(E(Share(series, limits.ActiveSeries))).Append(")</td>");
            }
            else
            {
                html.Append("<td class=\"muted\">not measured here</td>");
            }

            html.Append("<td class=\"num\">").Append(E(N(limits.ActiveSeries))).Append("</td></tr>");
        }

        html.Append("</table>\n");
    }

    private static void Endpoints(StringBuilder html, IngestionStatus status, DateTimeOffset now)
    {
        html.Append("<h2>Ingestion endpoints</h2>");
        var endpoints = status.Endpoints();
        if (endpoints.Count == 0)
        {
            html.Append("<p class=\"muted\" id=\"endpoints\">nothing sent yet</p>\n");
            return;
        }

        html.Append("<table id=\"endpoints\"><tr><th>destination</th><th>endpoint</th><th>last success</th><th>accepted, last minute</th><th>last errors (newest first)</th></tr>");
        foreach (var endpoint in endpoints)
        {
            html.Append("<tr><td>").Append(E(endpoint.Destination)).Append("</td><td>").Append(E(endpoint.Endpoint)).Append("</td><td>")
                .Append(endpoint.LastSuccess is { } success ? E(Time(success) + " (" + Ago(now - success) + " ago)") : "<span class=\"bad\">never</span>")
                .Append("</td><td class=\"num\">").Append(E(N(endpoint.Accepted.LastMinute()))).Append("</td><td>");
            var errors = endpoint.RecentErrors();
            if (errors.Count == 0)
            {
                html.Append("<span class=\"muted\">none</span>");
            }

            foreach (var error in errors)
            {
                html.Append("<div class=\"error\">").Append(E(Time(error.Time))).Append(" · <b>")
                    .Append(E(error.Status == 0 ? "no answer" : error.Status.ToString(CultureInfo.InvariantCulture))).Append("</b> · ")
                    .Append(E(error.Reason)).Append("</div>");
            }

            html.Append("</td></tr>");
        }

        html.Append("</table>\n");
    }

    private static void Drops(StringBuilder html, IngestionStatus status)
    {
        html.Append("<h2>Dropped on purpose</h2><table id=\"drops\"><tr><th>reason</th><th>samples and histogram points</th></tr>");
        foreach (var reason in Enum.GetValues<DropReason>())
        {
            html.Append("<tr><td>").Append(E(reason.ToLabel())).Append("</td><td class=\"num\" id=\"drop-").Append(E(reason.ToLabel())).Append("\">")
                .Append(E(N(status.Dropped(reason)))).Append("</td></tr>");
        }

        html.Append("</table><table id=\"labels\"><tr><th>labels</th><th>series</th></tr>")
            .Append("<tr><td>values cut to 1023 characters (truncate mode)</td><td class=\"num\" id=\"truncated\">").Append(E(N(status.TruncatedSeries))).Append("</td></tr>")
            .Append("<tr><td>differing only by letter case within a request (Azure merges them)</td><td class=\"num\" id=\"case-collisions\">").Append(E(N(status.CaseCollisions))).Append("</td></tr></table>\n");
    }

    private static void Section(StringBuilder html, IStatusSection section)
    {
        html.Append("<h2>").Append(E(section.Title)).Append("</h2><table>");
        foreach (var (name, value) in section.Rows())
        {
            html.Append("<tr><td>").Append(E(name)).Append("</td><td>").Append(E(value)).Append("</td></tr>");
        }

        html.Append("</table>\n");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Rate(double perSecond) => perSecond.ToString(perSecond < 10 ? "0.##" : "N0", CultureInfo.InvariantCulture);

    private static string Share(long value, long limit) => (value / (double)limit).ToString("0.#%", CultureInfo.InvariantCulture);

    private static string Level(long value, long limit) => value >= limit ? "bad" : value >= WarnShare * limit ? "warn" : "";

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string Ago(TimeSpan span) =>
        span.TotalSeconds < 90 ? $"{Math.Max(0, (int)span.TotalSeconds)} s"
        : span.TotalMinutes < 90 ? $"{(int)span.TotalMinutes} min"
        : $"{(int)span.TotalHours} h {span.Minutes} min";
}
