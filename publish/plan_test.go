package publish_test

import (
	"slices"
	"testing"

	"github.com/newsdesk/newsdesk/publish"
)

// TestPlanMail: the plan counts the language's confirmed subscribers and
// says who would get a digest and who had it already, and sends nothing.
func TestPlanMail(t *testing.T) {
	e := newEnv(t, func(c *publish.Config) {
		c.Email.Subscribers = []publish.SeedSubscriber{
			{Email: "anna@example.net", Languages: []string{"de"}},
			{Email: "ben@example.net", Languages: []string{"de", "en"}},
			{Email: "cleo@example.net", Languages: []string{"en"}},
		}
	})
	d := testDigest("de", "2026-11-29")
	plan, err := e.st.PlanMail(t.Context(), d)
	if err != nil {
		t.Fatal(err)
	}
	if plan != (publish.MailPlan{Subscribers: 2, To: 2}) {
		t.Errorf("plan before delivery %+v", plan)
	}
	if n := len(e.smtp.Messages()); n != 0 {
		t.Fatalf("planning sent %d mails", n)
	}
	if err := e.st.Deliver(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	d.Revision = 2
	if plan, err = e.st.PlanMail(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	if plan != (publish.MailPlan{Subscribers: 2, Already: 2}) {
		t.Errorf("plan for a later revision %+v", plan)
	}
	// Both had revision 1: the count of revision 2 says so.
	if c, err := e.st.Mailed(t.Context(), d); err != nil || c != (publish.MailCount{Subscribers: 2, Sent: 2, Earlier: 2}) {
		t.Errorf("count for a later revision %+v, %v", c, err)
	}
	d.Revision = 1
	if c, err := e.st.Mailed(t.Context(), d); err != nil || c != (publish.MailCount{Subscribers: 2, Sent: 2}) {
		t.Errorf("count for the revision sent %+v, %v", c, err)
	}
	next := testDigest("de", "2026-11-30")
	if plan, err = e.st.PlanMail(t.Context(), next); err != nil || plan.To != 2 {
		t.Errorf("plan for the next day %+v, %v", plan, err)
	}
	// A subscriber new in the config is stored when publish starts, before
	// it mails: the plan of a stage that has not started counts her.
	cfg := e.cfg
	cfg.Email.Subscribers = append(slices.Clone(cfg.Email.Subscribers), publish.SeedSubscriber{Email: "dora@example.net", Languages: []string{"de"}})
	fresh, err := publish.New(cfg, publish.Deps{Bus: e.bus})
	if err != nil {
		t.Fatal(err)
	}
	if plan, err = fresh.PlanMail(t.Context(), next); err != nil || plan != (publish.MailPlan{Subscribers: 3, To: 3}) {
		t.Errorf("plan with a new seed subscriber %+v, %v", plan, err)
	}
	next.Stories = nil
	if plan, err = e.st.PlanMail(t.Context(), next); err != nil || plan != (publish.MailPlan{Subscribers: 2}) {
		t.Errorf("plan for a digest without stories %+v, %v", plan, err)
	}
}
