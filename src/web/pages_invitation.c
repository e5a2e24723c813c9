/*
 * pages_invitation: the link in an invitation mail (core/invitations.h).
 *
 * GET only shows a button, so a mail scanner that fetches the link does not
 * spend it; the POST shows the code once. The token is in the path, which
 * the access log never records (it logs the route pattern).
 */
#include <string.h>

#include "../core/invitations.h"
#include "../util/log.h"
#include "web.h"

void h_invitation_form(struct req *r)
{
	struct tvars *v = page_vars(r);
	tv_set(v, "token", r->slug);
	page_render(r, "invitation", v, "invitation.title");
}

void h_invitation(struct req *r)
{
	char code[RECEIPT_TEXT_LEN + 1];
	int rc = invitation_redeem(r->vd, r->slug, code);
	if (rc && rc != VD_ERR_NOTFOUND) {
		req_fail(r, rc);
		return;
	}
	struct tvars *v = page_vars(r);
	if (rc == VD_OK) {
		log_event(LOG_INFO, "invitation-used", LF_END);
		tv_set(v, "code", arena_strdup(&r->arena, code));
		const char *shown = render_fragment(r, "receipt_code", v); /* as on the report's receipt */
		if (!shown)
			tv_set_failed(v);
		tv_set(v, "receipt_code", shown);
	} else {
		r->status = 404;
		tv_set_bool(v, "gone", true);
	}
	wipe(code, sizeof code);
	page_render(r, "invitation", v, "invitation.title");
}
