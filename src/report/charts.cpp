#include "charts.hpp"

#include <cairo-svg.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

#include "genodose/core/error.hpp"
#include "text_util.hpp"

namespace genodose::report::charts {

namespace {

struct Color {
    double r, g, b;
};
constexpr Color ink{0.13, 0.13, 0.13};
constexpr Color muted{0.45, 0.45, 0.45};
constexpr Color grid{0.85, 0.85, 0.85};
constexpr Color histogram_fill{0.78, 0.82, 0.88};
constexpr Color prediction{0.05, 0.30, 0.60};
constexpr Color equation{0.75, 0.35, 0.05};
constexpr Color increase{0.05, 0.30, 0.60};
constexpr Color decrease{0.80, 0.40, 0.10};

void set(cairo_t* cr, Color c, double alpha = 1.0) { cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha); }

PangoLayout* make_layout(cairo_t* cr, const std::string& text, double size, bool bold, double max_width) {
    PangoLayout* layout = pango_cairo_create_layout(cr);
    PangoFontDescription* font = pango_font_description_new();
    pango_font_description_set_family(font, font_family);
    pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
    pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout, font);
    pango_font_description_free(font);
    if (max_width > 0) {
        pango_layout_set_width(layout, static_cast<int>(max_width * PANGO_SCALE));
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_text(layout, text.c_str(), static_cast<int>(text.size()));
    return layout;
}

// Round axis maximum: the larger of the values shown, plus room, to a multiple of 10.
double axis_maximum(double largest) { return std::max(40.0, std::ceil(largest * 1.12 / 10.0) * 10.0); }

double tick_step(double maximum) { return maximum > 120 ? 20 : 10; }

void draw_axis(cairo_t* cr, double x0, double x1, double y, double maximum, const std::string& title) {
    set(cr, ink);
    cairo_set_line_width(cr, 0.8);
    cairo_move_to(cr, x0, y);
    cairo_line_to(cr, x1, y);
    cairo_stroke(cr);
    const double step = tick_step(maximum);
    for (double v = 0; v <= maximum + 1e-9; v += step) {
        const double x = x0 + (x1 - x0) * v / maximum;
        cairo_move_to(cr, x, y);
        cairo_line_to(cr, x, y + 3);
        cairo_stroke(cr);
        const std::string label = format_number(v, 0);
        const TextSize size = measure_text(cr, label, 7, false);
        set(cr, muted);
        draw_text(cr, label, 7, false, x - size.width / 2, y + 4);
        set(cr, ink);
    }
    const TextSize size = measure_text(cr, title, 7.5, false);
    set(cr, muted);
    draw_text(cr, title, 7.5, false, (x0 + x1) / 2 - size.width / 2, y + 14);
}

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}


// Rewrites every id="X", href="#X" and url(#X) to <prefix>-<n>, n counting the ids in order of
// first appearance (a reference met before its id also takes the next number).
std::string renumber_ids(const std::string& svg, const std::string& prefix) {
    std::map<std::string, std::string> names;
    auto rename = [&](const std::string& old_name) {
        auto it = names.find(old_name);
        if (it != names.end()) return it->second;
        const std::string fresh = prefix + "-" + std::to_string(names.size() + 1);
        names.emplace(old_name, fresh);
        return fresh;
    };
    static const std::pair<const char*, char> patterns[] = {{"id=\"", '"'}, {"href=\"#", '"'}, {"url(#", ')'}};
    std::string out;
    out.reserve(svg.size() + svg.size() / 8);
    std::size_t at = 0;
    while (at < svg.size()) {
        std::size_t best = std::string::npos;
        const std::pair<const char*, char>* which = nullptr;
        for (const auto& p : patterns) {
            const std::size_t found = svg.find(p.first, at);
            if (found < best) {
                best = found;
                which = &p;
            }
        }
        if (best == std::string::npos) {
            out.append(svg, at, std::string::npos);
            break;
        }
        const std::size_t name_begin = best + std::strlen(which->first);
        const std::size_t name_end = svg.find(which->second, name_begin);
        if (name_end == std::string::npos) {
            out.append(svg, at, std::string::npos);
            break;
        }
        out.append(svg, at, name_begin - at);
        out += rename(svg.substr(name_begin, name_end - name_begin));
        at = name_end;
    }
    return out;
}

constexpr double left_label_width = 118;
constexpr double row_height = 17;

}  // namespace

TextSize measure_text(cairo_t* cr, const std::string& text, double size, bool bold, double max_width) {
    PangoLayout* layout = make_layout(cr, text, size, bold, max_width);
    int w = 0, h = 0;
    pango_layout_get_size(layout, &w, &h);
    g_object_unref(layout);
    return {static_cast<double>(w) / PANGO_SCALE, static_cast<double>(h) / PANGO_SCALE};
}

TextSize draw_text(cairo_t* cr, const std::string& text, double size, bool bold, double x, double y, double max_width,
                   bool right_align) {
    PangoLayout* layout = make_layout(cr, text, size, bold, max_width);
    if (right_align && max_width > 0) pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT);
    int w = 0, h = 0;
    pango_layout_get_size(layout, &w, &h);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, layout);
    g_object_unref(layout);
    cairo_new_path(cr);
    return {static_cast<double>(w) / PANGO_SCALE, static_cast<double>(h) / PANGO_SCALE};
}

// Layout, top to bottom: [histogram band 60pt + caption] prediction row, equation row, axis.
double dose_chart_height(const ReportDocument& d) { return (d.cohort.available ? 82 : 0) + 2 * row_height + 36; }

void draw_dose_chart(cairo_t* cr, const ReportDocument& d, double width) {
    const DoseResult& dose = d.dose;
    double largest = std::max(dose.interval_high, dose.predicted_mg_per_week);
    if (dose.iwpc_pharmacogenetic_mg_per_week) largest = std::max(largest, *dose.iwpc_pharmacogenetic_mg_per_week);
    if (d.cohort.available) largest = std::max(largest, d.cohort.quantiles.back());
    const double maximum = axis_maximum(largest);
    const double x0 = left_label_width, x1 = width - 12;
    auto x_of = [&](double v) { return x0 + (x1 - x0) * std::min(v, maximum) / maximum; };

    double y = 0;
    if (d.cohort.available) {
        set(cr, muted);
        draw_text(cr, "IWPC patients with " + d.cohort.group + " (n = " + std::to_string(d.cohort.patients) + ")", 7.5,
                  false, x0, y);
        y += 14;
        const double band = 58;
        const int peak = *std::max_element(d.cohort.histogram.begin(), d.cohort.histogram.end());
        for (std::size_t i = 0; i < d.cohort.histogram.size(); ++i) {
            const double from = static_cast<double>(i) * d.cohort.bin_width;
            if (from >= maximum) break;
            const bool open_ended = i + 1 == d.cohort.histogram.size();
            const double to = open_ended ? maximum : std::min(maximum, from + d.cohort.bin_width);
            const double h = peak > 0 ? band * d.cohort.histogram[i] / peak : 0;
            set(cr, histogram_fill);
            cairo_rectangle(cr, x_of(from) + 0.5, y + band - h, x_of(to) - x_of(from) - 1, h);
            cairo_fill(cr);
        }
        // Median and the 10th–90th percentile span of the group.
        set(cr, muted);
        cairo_set_line_width(cr, 1);
        const double median = d.cohort.quantiles[3];
        cairo_move_to(cr, x_of(median), y);
        cairo_line_to(cr, x_of(median), y + band);
        cairo_stroke(cr);
        draw_text(cr, "IWPC group", 7.5, false, 4, y + band - 22);
        draw_text(cr, "median " + format_dose(median), 7, false, 4, y + band - 11);
        y += band + 10;
    }

    // Light vertical grid through the rows.
    set(cr, grid);
    cairo_set_line_width(cr, 0.5);
    for (double v = 0; v <= maximum + 1e-9; v += tick_step(maximum)) {
        cairo_move_to(cr, x_of(v), y);
        cairo_line_to(cr, x_of(v), y + 2 * row_height);
        cairo_stroke(cr);
    }

    // genodose prediction: interval bar and point.
    const double py = y + row_height / 2;
    set(cr, ink);
    draw_text(cr, "genodose model " + format_dose(dose.predicted_mg_per_week), 7.5, true, 4, py - 5);
    set(cr, prediction, 0.35);
    cairo_rectangle(cr, x_of(dose.interval_low), py - 3.5, x_of(dose.interval_high) - x_of(dose.interval_low), 7);
    cairo_fill(cr);
    set(cr, prediction);
    cairo_arc(cr, x_of(dose.predicted_mg_per_week), py, 4, 0, 2 * M_PI);
    cairo_fill(cr);
    y += row_height;

    // IWPC pharmacogenetic equation.
    const double ey = y + row_height / 2;
    set(cr, ink);
    draw_text(cr,
              "IWPC equation" + (dose.iwpc_pharmacogenetic_mg_per_week
                                     ? " " + format_dose(*dose.iwpc_pharmacogenetic_mg_per_week)
                                     : std::string()),
              7.5, false, 4, ey - 5);
    if (dose.iwpc_pharmacogenetic_mg_per_week) {
        const double x = x_of(*dose.iwpc_pharmacogenetic_mg_per_week);
        set(cr, equation);
        cairo_set_line_width(cr, 1.4);
        cairo_move_to(cr, x, ey - 4.5);
        cairo_line_to(cr, x + 4.5, ey);
        cairo_line_to(cr, x, ey + 4.5);
        cairo_line_to(cr, x - 4.5, ey);
        cairo_close_path(cr);
        cairo_stroke(cr);
    } else {
        set(cr, muted);
        draw_text(cr, "not available", 7, false, x0 + 4, ey - 5);
    }
    y += row_height + 4;
    draw_axis(cr, x0, x1, y, maximum, "weekly warfarin dose (mg/week)");
}

double drivers_chart_height(const ReportDocument& d) {
    return 16 + row_height * static_cast<double>(std::max<std::size_t>(1, d.dose.drivers.size())) + 8;
}

void draw_drivers_chart(cairo_t* cr, const ReportDocument& d, double width) {
    const auto& drivers = d.dose.drivers;
    const double label_width = std::min(250.0, width * 0.5);
    const double x0 = label_width + 8, x1 = width - 40;
    double largest = 0.5;
    for (const auto& driver : drivers) largest = std::max(largest, std::fabs(driver.mg_per_week));
    const double zero = (x0 + x1) / 2;
    const double half = (x1 - x0) / 2 - 30;  // room for the value beside the longest bar

    set(cr, muted);
    draw_text(cr, "lowers the dose", 7, false, x0, 0);
    const TextSize raises = measure_text(cr, "raises the dose", 7, false);
    draw_text(cr, "raises the dose", 7, false, x1 - raises.width, 0);
    double y = 14;
    set(cr, grid);
    cairo_set_line_width(cr, 0.8);
    cairo_move_to(cr, zero, y);
    cairo_line_to(cr, zero, y + row_height * static_cast<double>(std::max<std::size_t>(1, drivers.size())));
    cairo_stroke(cr);
    if (drivers.empty()) {
        set(cr, muted);
        draw_text(cr, "no contributions recorded", 7.5, false, 4, y + 3);
        return;
    }
    for (const auto& driver : drivers) {
        set(cr, ink);
        const std::string label = driver.label + " = " + driver.value;
        draw_text(cr, label, 7.5, false, 0, y + 3, label_width, true);
        const double length = half * driver.mg_per_week / largest;
        set(cr, driver.mg_per_week >= 0 ? increase : decrease, 0.85);
        if (length >= 0) cairo_rectangle(cr, zero, y + 3, length, row_height - 6);
        else cairo_rectangle(cr, zero + length, y + 3, -length, row_height - 6);
        cairo_fill(cr);
        const std::string value = (driver.mg_per_week >= 0 ? "+" : "") + format_number(driver.mg_per_week, 2);
        set(cr, ink);
        const TextSize size = measure_text(cr, value, 7, false);
        const double tx = length >= 0 ? zero + length + 3 : zero + length - 3 - size.width;
        draw_text(cr, value, 7, false, tx, y + 3.5);
        y += row_height;
    }
}

double dose_rows_chart_height(const std::vector<DoseRow>& rows) {
    return row_height * static_cast<double>(std::max<std::size_t>(1, rows.size())) + 30;
}

void draw_dose_rows_chart(cairo_t* cr, const std::vector<DoseRow>& rows, double width) {
    double largest = 0;
    for (const auto& row : rows)
        if (row.has_dose) largest = std::max(largest, std::max(row.high, row.dose));
    const double maximum = axis_maximum(largest);
    const double x0 = left_label_width + 20, x1 = width - 12;
    auto x_of = [&](double v) { return x0 + (x1 - x0) * std::min(v, maximum) / maximum; };
    double y = 0;
    const double rows_height = row_height * static_cast<double>(std::max<std::size_t>(1, rows.size()));
    set(cr, grid);
    cairo_set_line_width(cr, 0.5);
    for (double v = 0; v <= maximum + 1e-9; v += tick_step(maximum)) {
        cairo_move_to(cr, x_of(v), y);
        cairo_line_to(cr, x_of(v), y + rows_height);
        cairo_stroke(cr);
    }
    for (const auto& row : rows) {
        const double cy = y + row_height / 2;
        set(cr, ink);
        draw_text(cr, row.label, 7.5, false, 0, cy - 5, left_label_width + 12);
        if (row.has_dose) {
            set(cr, prediction, 0.35);
            cairo_rectangle(cr, x_of(row.low), cy - 3.5, x_of(row.high) - x_of(row.low), 7);
            cairo_fill(cr);
            set(cr, prediction);
            cairo_arc(cr, x_of(row.dose), cy, 4, 0, 2 * M_PI);
            cairo_fill(cr);
        } else {
            set(cr, decrease);
            draw_text(cr, "failed: no dose", 7, false, x0 + 4, cy - 5);
        }
        y += row_height;
    }
    draw_axis(cr, x0, x1, y + 2, maximum, "predicted weekly warfarin dose (mg/week) with interval");
}

std::string chart_svg(double width, double height, const std::function<void(cairo_t*)>& draw,
                      const std::string& id_prefix, const std::string& label) {
    std::string svg;
    cairo_surface_t* surface = cairo_svg_surface_create_for_stream(append_to_string, &svg, width, height);
    cairo_svg_surface_restrict_to_version(surface, CAIRO_SVG_VERSION_1_1);
    cairo_t* cr = cairo_create(surface);
    draw(cr);
    const cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    const cairo_status_t surface_status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS || surface_status != CAIRO_STATUS_SUCCESS)
        throw InternalError(std::string("cairo could not draw a chart: ") +
                            cairo_status_to_string(status != CAIRO_STATUS_SUCCESS ? status : surface_status));

    const std::size_t start = svg.find("<svg");
    if (start == std::string::npos) throw InternalError("cairo produced no <svg> element");
    svg.erase(0, start);
    // Several charts share one HTML document, where ids are global: give each chart its own
    // prefix. cairo numbers some ids from process-wide counters (surface ids), so they are also
    // renumbered in order of appearance: the same chart always gives the same bytes.
    svg = renumber_ids(svg, id_prefix);
    const std::string attributes = " role=\"img\" aria-label=\"" + html_escape(label) + "\" class=\"chart\"";
    svg.insert(4, attributes);
    while (!svg.empty() && (svg.back() == '\n' || svg.back() == ' ')) svg.pop_back();
    return svg;
}

}  // namespace genodose::report::charts
