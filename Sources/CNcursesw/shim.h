// The parts of ncursesw that Swift cannot import directly (macros, globals), wrapped as functions.
// Only MadoguchiTerminal imports this module.
#ifndef MADOGUCHI_CNCURSESW_SHIM_H
#define MADOGUCHI_CNCURSESW_SHIM_H

#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <langinfo.h>
#include <signal.h>
#include <ncursesw/curses.h>

static inline WINDOW *mg_stdscr(void) { return stdscr; }
static inline int mg_lines(void) { return LINES; }
static inline int mg_cols(void) { return COLS; }
static inline int mg_colors(void) { return COLORS; }
static inline attr_t mg_color_pair(int n) { return COLOR_PAIR(n); }
static inline attr_t mg_a_bold(void) { return A_BOLD; }
static inline attr_t mg_a_reverse(void) { return A_REVERSE; }
static inline attr_t mg_a_underline(void) { return A_UNDERLINE; }
static inline attr_t mg_a_dim(void) { return A_DIM; }
static inline attr_t mg_a_normal(void) { return A_NORMAL; }
static inline int mg_key_code_yes(void) { return KEY_CODE_YES; }
static inline int mg_key_f(int n) { return KEY_F(n); }
static inline const char *mg_codeset(void) { return nl_langinfo(CODESET); }

/// 1 when TERM names a terminal the terminfo database knows; 0 otherwise. Asked before initscr,
/// which would print ncurses' own English message and exit (issue 11 item 8).
extern int setupterm(const char *, int, int *);
static inline int mg_terminal_known(void) { int err = 0; return setupterm((const char *)0, 1, &err) == 0; }

/// Reads one wide character or function key; returns the get_wch status and fills *out.
static inline int mg_get_wch(wint_t *out) { return get_wch(out); }

/// Draws one grapheme (given as wide chars, a base plus combining marks) at y,x with attributes.
static inline int mg_put_cell(int y, int x, const wchar_t *wch, attr_t attrs, short pair) {
    cchar_t c;
    if (setcchar(&c, wch, attrs, pair, NULL) != OK) return ERR;
    return mvadd_wch(y, x, &c);
}

#endif
