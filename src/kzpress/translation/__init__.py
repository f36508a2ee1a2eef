"""Translation: the units a translator works on, and (to come) bringing translations back."""
