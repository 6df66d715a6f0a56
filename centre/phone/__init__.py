"""The citizen's phone form: a kiosk's signed link (`feed.sign_form_link`) opens it at /p/<token>,
the citizen writes what the kiosk's keyboard could not take, and gets a reference number."""
