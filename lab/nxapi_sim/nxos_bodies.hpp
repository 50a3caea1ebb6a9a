// The structured (JSON) bodies of the NX-OS `show` commands the simulator knows, per switch and
// time. Shapes follow NX-OS: TABLE_x/ROW_x, a single row is an object (unless the request asked
// for arrays: ins_api type cli_show_array), most numbers are strings.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "lab/nxapi_sim/body_template.hpp"

namespace nxapi_sim {

enum class Command {
    show_version,
    show_inventory,
    show_interface,
    show_interface_brief,
    show_lldp_neighbors,
    show_environment,
    show_running_config,  // known, but the simulated user may not run it
    unknown,
};

// Case and spacing are ignored ("Show  Version" is show version); no abbreviations.
Command parse_command(std::string_view text);

struct SwitchView {
    int index = 0;
    int switches = 1;
    std::string_view hostname_prefix;
};

class NxosBodies {
  public:
    NxosBodies();
    // Appends the body of a structured command (not show_running_config/unknown) to out.
    void render(Command command, const SwitchView& view, int64_t elapsed_ms, bool rows_as_arrays,
                std::string& out) const;

  private:
    // [rows_as_arrays] where a single row is possible.
    BodyTemplate version_;
    std::array<std::array<BodyTemplate, 2>, 2> inventory_;  // [index odd][arrays]
    std::array<std::array<BodyTemplate, 2>, 3> lldp_;       // [neighbor count][arrays]
    BodyTemplate interface_;
    BodyTemplate interface_brief_;
    std::array<BodyTemplate, 2> environment_;
};

}  // namespace nxapi_sim
